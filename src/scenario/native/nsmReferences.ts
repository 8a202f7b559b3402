/**
 * Cross-reference checks of the `nsm:` section: each Deployment names a scenario service; a
 * client's kernel:// URL is well formed and asks for a Network Service some endpoint provides; an
 * endpoint's CIDR prefix is an IPv4 prefix. NSM itself would leave such a client waiting for an
 * endpoint forever (FIDELITY-MORE K3: discover watches the registry); in a lesson that is a mistake.
 */
import { isObj, list, str } from '../raw.ts';
import type { SectionContext } from '../sections.ts';
import { parseDuration } from '../values.ts';
import { parseNetworkServiceUrl } from './nsmUrl.ts';

export { parseNetworkServiceUrl };

const env = (container: unknown): Map<string, { value: string; j: number }> =>
  new Map(
    list(isObj(container) ? container.env : undefined).flatMap((e, j) =>
      isObj(e) && typeof e.name === 'string' ? [[e.name, { value: str(e.value) ?? '', j }]] : [],
    ),
  );

/** Checks the NSM resources in force. */
export function checkNsmReferences(resources: readonly unknown[], ctx: SectionContext): void {
  const { key, serviceNames } = ctx;
  const provided = new Set<string>();
  const wanted: { service: string; path: (string | number)[] }[] = [];
  resources.forEach((r, i) => {
    if (!isObj(r) || !isObj(r.metadata)) return;
    ctx.mustBe(r.metadata.name, [key, i, 'metadata', 'name'], 'a service', serviceNames);
    const containers = list(isObj(r.spec) && isObj(r.spec.template) && isObj(r.spec.template.spec) ? r.spec.template.spec.containers : undefined);
    containers.forEach((c, k) => {
      const vars = env(c);
      const at = (j: number) => [key, i, 'spec', 'template', 'spec', 'containers', k, 'env', j, 'value'];
      const services = vars.get('NSM_NETWORK_SERVICES');
      if (services) {
        for (const url of services.value.split(',')) {
          const parsed = parseNetworkServiceUrl(url);
          if (typeof parsed === 'string') ctx.report({ path: at(services.j), message: parsed });
          else wanted.push({ service: parsed.service, path: at(services.j) });
        }
      }
      const names = vars.get('NSM_SERVICE_NAMES');
      if (names) for (const n of names.value.split(',')) provided.add(n.trim());
      const lifetime = vars.get('NSM_MAX_TOKEN_LIFETIME');
      if (lifetime && !((parseDuration(lifetime.value) ?? 0) >= 1000))
        ctx.report({
          path: at(lifetime.j),
          message: `is ${JSON.stringify(lifetime.value)}: NSM_MAX_TOKEN_LIFETIME must be a duration of at least 1s, such as 30s or 10m`,
        });
      const cidr = vars.get('NSM_CIDR_PREFIX');
      if (cidr && !/^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[01])$/.test(cidr.value))
        ctx.report({ path: at(cidr.j), message: `is ${JSON.stringify(cidr.value)}: give an IPv4 prefix such as 172.16.1.100/31` });
    });
  });
  for (const w of wanted)
    if (!provided.has(w.service))
      ctx.report({
        path: w.path,
        message: `asks for Network Service "${w.service}", which no endpoint provides (NSM_SERVICE_NAMES: ${[...provided].join(', ') || 'none'}); the client would wait for one forever`,
      });
}
