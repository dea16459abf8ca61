import { describeStoreConformance } from './store.case.js';

describeStoreConformance('sqlite');
