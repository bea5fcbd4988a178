// pg-boss ships CommonJS with `export =` types: one place to turn that into a named ES import.
import PgBossModule from 'pg-boss';

export const PgBoss = PgBossModule;
export type PgBoss = PgBossModule;
