// Where the Models screen gets the catalog: it asks the catalog service, which
// owns the network, validation and the offline copy (src/catalog/).

export { type LoadedCatalog, loadCatalog } from '../catalog/catalogService';
