import { allContainers, containerAnchor, str } from '../podTemplate';
import type { Finding } from '../types';
import { apiFinding, type Rule } from './rule';

/** pkg/apis/core/validation/validation.go validateContainerCommon: every container needs an image. */
export const containerImage: Rule = {
  id: 'container-image',
  description: 'Every container and init container needs an image.',
  help: 'Upstream validateContainerCommon returns `Required value` on `…containers[i].image` when the image is missing or empty. Set the image the container runs.',
  defaultSeverity: 'error',
  // A Kustomize patch names a container to change only some of its fields.
  needsCompleteObject: true,
  check(ds) {
    const out: Finding[] = [];
    if (ds.partial) return out;
    for (const c of allContainers(ds)) {
      const image = str(c.value.image);
      if (image !== '') continue;
      const f = apiFinding(containerImage, ds, [...c.path, 'image'], 'Required', undefined, undefined, 'value');
      if (c.value.image === undefined) f.span = containerAnchor(ds, c) ?? f.span;
      out.push(f);
    }
    return out;
  },
};
