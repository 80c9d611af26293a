// The public API of @slm/core: the licensing domain, free of transport, files and clocks.
// `./status.js` is the part without the schema library; this adds validation at the edges.
export { openCatalog, parseCatalog, signCatalog } from './catalog/catalog.js';
export { catalogSchema, guidSchema } from './catalog/schema.js';
export {
  hostCertificateSchema,
  keyIdentitySchema,
  machineGrantSchema,
  volumeGrantSchema,
} from './grants/schema.js';
export {
  issuanceLicenceSchema,
  issueIssuanceLicence,
  openIssuanceLicence,
} from './grants/token-schema.js';
export { openHostCertificate, openVolumeGrant, validateStoredGrant } from './grants/validate.js';
export { addGrant } from './licence/add-grant.js';
export * from './status.js';
