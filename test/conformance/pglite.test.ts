import { describeStoreConformance } from './store.case.js';

describeStoreConformance('pglite');
