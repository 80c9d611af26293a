// The public API of @slm/volume-client: what slmgr /ato calls with a volume client key.
export {
  activateVolume,
  askHost,
  buildRequest,
  type VolumeActivated,
  type VolumeActivationInput,
  type VolumeNotActivated,
} from './activate.js';
export { volumeActivationAllowed } from './activation-type.js';
export {
  type Attempt,
  type Discovered,
  type DiscoverySettings,
  discoverHosts,
  formatHost,
  type HostAddress,
  pinnedHost,
} from './discovery.js';
export { createResolver, type DnsOptions, type HostResolver, systemSearchList } from './dns.js';
export { orderSrv, type RandomSource, type SrvRecord, seededRandom } from './srv.js';
export { type Exchange, exchange, type TransportCause } from './transport.js';
export { checkAnswer, type Failure, type FailureCause, type Verified } from './verify.js';
