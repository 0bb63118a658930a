// tsc compiles only TypeScript; the migrations' .sql files are copied next to the compiled runner.
import { cpSync } from 'node:fs';

const from = 'src/infrastructure/persistence/migrations';
const to = 'dist/infrastructure/persistence/migrations';
cpSync(from, to, { recursive: true, filter: (path) => !path.endsWith('.ts') });
