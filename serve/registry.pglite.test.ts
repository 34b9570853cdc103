import { openStore } from '../db/index.ts';
import { registryContract } from './registry.contract.ts';

registryContract('PGlite (memory://)', () => openStore({ dataDir: 'memory://' }));
