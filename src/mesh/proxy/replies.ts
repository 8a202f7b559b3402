/** Which local replies a proxy answers with: its kind's own, where the profile gives them, else the mesh's. */
import type { LocalReplies } from '../profiles/types.ts';
import type { World } from '../world.ts';
import type { ProxyView } from './Proxy.ts';

export function repliesOf(world: World, proxy: ProxyView): LocalReplies {
  return world.profile.proxyReplies?.[proxy.kind] ?? world.profile.replies;
}
