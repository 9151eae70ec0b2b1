/**
 * Node agents as their projects ship them (trimmed to what the container rules read), and the
 * helpers the container-env, container-lifecycle and container-probes tests share.
 */
import assert from 'node:assert/strict';
import { parseDocument } from '../../server/src/engine/model';
import { validate, type ValidateOptions } from '../../server/src/engine/validate';
import { RULES } from '../../server/src/engine/rules';
import type { Finding, Fix, TextEdit } from '../../server/src/engine/types';

export const T = 'spec.template.spec';

/** fluent-bit (fluent/helm-charts): env from the downward API, HTTP probes on a named port. */
export const FLUENT_BIT = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluent-bit
  namespace: logging
  labels:
    app.kubernetes.io/name: fluent-bit
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: fluent-bit
  template:
    metadata:
      labels:
        app.kubernetes.io/name: fluent-bit
    spec:
      serviceAccountName: fluent-bit
      containers:
      - name: fluent-bit
        image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
        args: [--workdir=/fluent-bit/etc, --config=/fluent-bit/etc/conf/fluent-bit.conf]
        env:
        - name: NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        - name: FLUENT_ELASTICSEARCH_HOST
          value: elasticsearch-master.logging.svc
        - name: FLUENT_ELASTICSEARCH_PASSWORD
          valueFrom:
            secretKeyRef:
              name: elasticsearch-master-credentials
              key: password
        ports:
        - name: http
          containerPort: 2020
          protocol: TCP
        livenessProbe:
          httpGet:
            path: /
            port: http
        readinessProbe:
          httpGet:
            path: /api/v1/health
            port: http
        volumeMounts:
        - name: varlog
          mountPath: /var/log
      volumes:
      - name: varlog
        hostPath:
          path: /var/log
      tolerations:
      - operator: Exists
`;

/** node-exporter (prometheus-community/helm-charts): HTTP probes with a scheme and headers, a numbered port. */
export const NODE_EXPORTER = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: node-exporter
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
  template:
    metadata:
      labels:
        app.kubernetes.io/name: node-exporter
    spec:
      hostNetwork: true
      hostPID: true
      containers:
      - name: node-exporter
        image: quay.io/prometheus/node-exporter:v1.8.2
        args:
        - --path.procfs=/host/proc
        - --path.sysfs=/host/sys
        - --web.listen-address=[$(HOST_IP)]:9100
        env:
        - name: HOST_IP
          value: 0.0.0.0
        ports:
        - name: metrics
          containerPort: 9100
          protocol: TCP
        livenessProbe:
          failureThreshold: 3
          httpGet:
            httpHeaders:
            - name: X-Scrape-Source
              value: kubelet
            path: /
            port: 9100
            scheme: HTTP
          initialDelaySeconds: 0
          periodSeconds: 10
          successThreshold: 1
          timeoutSeconds: 1
        readinessProbe:
          failureThreshold: 3
          httpGet:
            path: /
            port: 9100
            scheme: HTTP
          initialDelaySeconds: 0
          periodSeconds: 10
          successThreshold: 1
          timeoutSeconds: 1
      tolerations:
      - effect: NoSchedule
        operator: Exists
`;

/** calico-node (projectcalico/calico manifests): exec probes, a preStop exec hook, env from the downward API and a ConfigMap. */
export const CALICO_NODE = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node
  namespace: kube-system
  labels:
    k8s-app: calico-node
spec:
  selector:
    matchLabels:
      k8s-app: calico-node
  template:
    metadata:
      labels:
        k8s-app: calico-node
    spec:
      nodeSelector:
        kubernetes.io/os: linux
      hostNetwork: true
      tolerations:
      - effect: NoSchedule
        operator: Exists
      - key: CriticalAddonsOnly
        operator: Exists
      - effect: NoExecute
        operator: Exists
      serviceAccountName: calico-node
      terminationGracePeriodSeconds: 0
      priorityClassName: system-node-critical
      initContainers:
      - name: upgrade-ipam
        image: docker.io/calico/cni:v3.28.0
        command: ["/opt/cni/bin/calico-ipam", "-upgrade"]
        envFrom:
        - configMapRef:
            name: kubernetes-services-endpoint
            optional: true
        env:
        - name: KUBERNETES_NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        - name: CALICO_NETWORKING_BACKEND
          valueFrom:
            configMapKeyRef:
              name: calico-config
              key: calico_backend
        securityContext:
          privileged: true
      containers:
      - name: calico-node
        image: docker.io/calico/node:v3.28.0
        envFrom:
        - configMapRef:
            name: kubernetes-services-endpoint
            optional: true
        env:
        - name: DATASTORE_TYPE
          value: "kubernetes"
        - name: WAIT_FOR_DATASTORE
          value: "true"
        - name: NODENAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        - name: CALICO_NETWORKING_BACKEND
          valueFrom:
            configMapKeyRef:
              name: calico-config
              key: calico_backend
        - name: IP
          value: "autodetect"
        - name: NODEIP
          valueFrom:
            fieldRef:
              fieldPath: status.hostIP
        - name: POD_NAMESPACE
          valueFrom:
            fieldRef:
              apiVersion: v1
              fieldPath: metadata.namespace
        - name: FELIX_HEALTHENABLED
          value: "true"
        - name: CPU_LIMIT_MILLICORES
          valueFrom:
            resourceFieldRef:
              containerName: calico-node
              resource: limits.cpu
              divisor: 1m
        securityContext:
          privileged: true
        resources:
          requests:
            cpu: 250m
        lifecycle:
          preStop:
            exec:
              command:
              - /bin/calico-node
              - -shutdown
        livenessProbe:
          exec:
            command:
            - /bin/calico-node
            - -felix-live
            - -bird-live
          periodSeconds: 10
          initialDelaySeconds: 10
          failureThreshold: 6
          timeoutSeconds: 10
        readinessProbe:
          exec:
            command:
            - /bin/calico-node
            - -felix-ready
            - -bird-ready
          periodSeconds: 10
          timeoutSeconds: 10
`;

/** A CSI node plugin (kubernetes-sigs/aws-ebs-csi-driver): HTTP and gRPC probes on named and numbered ports, hooks with sleep and exec. */
export const CSI_NODE = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ebs-csi-node
  namespace: kube-system
spec:
  selector:
    matchLabels:
      app: ebs-csi-node
  template:
    metadata:
      labels:
        app: ebs-csi-node
    spec:
      nodeSelector:
        kubernetes.io/os: linux
      priorityClassName: system-node-critical
      terminationGracePeriodSeconds: 30
      tolerations:
      - operator: Exists
      containers:
      - name: ebs-plugin
        image: public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.35.0
        args: [node, --endpoint=$(CSI_ENDPOINT), --csi-mount-point-prefix=/var/lib/kubelet/plugins/kubernetes.io/csi/ebs.csi.aws.com/]
        env:
        - name: CSI_ENDPOINT
          value: unix:/csi/csi.sock
        - name: CSI_NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        - name: MEMORY_LIMIT
          valueFrom:
            resourceFieldRef:
              resource: limits.memory
              divisor: 1Mi
        envFrom:
        - secretRef:
            name: aws-secret
            optional: true
          prefix: AWS_
        ports:
        - name: healthz
          containerPort: 9808
          protocol: TCP
        livenessProbe:
          httpGet:
            path: /healthz
            port: healthz
          initialDelaySeconds: 10
          timeoutSeconds: 3
          periodSeconds: 10
          failureThreshold: 5
        lifecycle:
          preStop:
            exec:
              command: ["/bin/aws-ebs-csi-driver", "pre-stop-hook"]
      - name: node-driver-registrar
        image: public.ecr.aws/eks-distro/kubernetes-csi/node-driver-registrar:v2.11.1
        args: [--csi-address=$(ADDRESS), --kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)]
        env:
        - name: ADDRESS
          value: /csi/csi.sock
        - name: DRIVER_REG_SOCK_PATH
          value: /var/lib/kubelet/plugins/ebs.csi.aws.com/csi.sock
        livenessProbe:
          exec:
            command:
            - /csi-node-driver-registrar
            - --kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)
            - --mode=kubelet-registration-probe
          initialDelaySeconds: 30
          periodSeconds: 90
          timeoutSeconds: 15
      - name: liveness-probe
        image: public.ecr.aws/eks-distro/kubernetes-csi/livenessprobe:v2.13.1
        args: [--csi-address=/csi/csi.sock, --http-endpoint=:9809]
        ports:
        - name: probe-grpc
          containerPort: 9810
        readinessProbe:
          grpc:
            port: 9810
            service: readiness
          periodSeconds: 5
        startupProbe:
          tcpSocket:
            port: probe-grpc
          failureThreshold: 30
          periodSeconds: 2
        lifecycle:
          preStop:
            sleep:
              seconds: 5
`;

/** A sidecar init container (restartPolicy: Always) with probes and a hook, beside a main container. */
export const SIDECAR = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
  namespace: observability
spec:
  selector:
    matchLabels:
      app: node-agent
  template:
    metadata:
      labels:
        app: node-agent
    spec:
      initContainers:
      - name: log-forwarder
        image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
        restartPolicy: Always
        ports:
        - name: http
          containerPort: 2020
        startupProbe:
          tcpSocket:
            port: http
          failureThreshold: 30
          periodSeconds: 1
        readinessProbe:
          httpGet:
            path: /api/v1/health
            port: http
        lifecycle:
          preStop:
            sleep:
              seconds: 0
      containers:
      - name: agent
        image: docker.io/otel/opentelemetry-collector-contrib:0.110.0
        env:
        - name: K8S_NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        - name: K8S_POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        livenessProbe:
          httpGet:
            path: /
            port: 13133
      tolerations:
      - operator: Exists
`;

export const VALID = { FLUENT_BIT, NODE_EXPORTER, CALICO_NODE, CSI_NODE, SIDECAR };

export function check(text: string, code: string, options: ValidateOptions = {}, partial = false): Finding[] {
  return validate(parseDocument('ds.yaml', text, undefined, undefined, { partial }), { rules: RULES, ...options }).filter((f) => f.code === code);
}

export const under = (text: string, f: Finding) => text.slice(f.span.start, f.span.end);

/** Applies a fix's edits, last first (edits never overlap). */
export function applyFix(text: string, fix: Fix): string {
  const edits: TextEdit[] = [...fix.edits].sort((a, b) => b.span.start - a.span.start);
  return edits.reduce((t, e) => t.slice(0, e.span.start) + e.newText + t.slice(e.span.end), text);
}

/** Asserts exactly one finding of `code` with this path, message and text under its span, and returns it. */
export function expectOne(text: string, code: string, path: string, message: string, spanText: string, options?: ValidateOptions): Finding {
  const all = check(text, code, options);
  const found = all.filter((f) => f.path === path);
  assert.equal(found.length, 1, `${code} at ${path}: ${JSON.stringify(all.map((f) => [f.path, f.message]))}`);
  const [f] = found;
  assert.equal(f.message, message);
  assert.equal(under(text, f), spanText);
  assert.equal(f.severity, 'error');
  return f;
}

/** The findings of `code`, as `path: message`. */
export function messages(text: string, code: string, options?: ValidateOptions, partial = false): string[] {
  return check(text, code, options, partial).map((f) => `${f.path}: ${f.message}`);
}

/** Applies the fix titled `title`, checks the finding at `path` is gone and returns the fixed text. */
export function fixAndRecheck(text: string, f: Finding, title: string, options?: ValidateOptions): string {
  const fix = f.fixes?.find((x) => x.title === title);
  assert.ok(fix, `fix "${title}" among ${JSON.stringify(f.fixes?.map((x) => x.title))}`);
  const fixed = applyFix(text, fix);
  assert.notEqual(fixed, text);
  assert.deepEqual(check(fixed, f.code, options).filter((x) => x.path === f.path).map((x) => x.message), []);
  return fixed;
}

/** Replaces `from` (which must occur exactly once) with `to`. */
export function edit(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `exactly one ${JSON.stringify(from)}`);
  return text.replace(from, () => to);
}
