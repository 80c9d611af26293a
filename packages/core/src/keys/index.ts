export { CHANNELS, type Channel, KEY_VERSION } from './layout.js';
export {
  isAuthentic,
  type KeyMint,
  keyProof,
  mintProductKey,
  type ProductKey,
  parseProductKey,
} from './product-key.js';
export { KEY_ALPHABET, KEY_LENGTH, normaliseKeyText } from './symbols.js';
