import { randomUUID } from 'node:crypto';

export interface ${{ values.entityName }}Record {
  id: string;
  name: string;
  createdAt: string;
}

/** Where ${{ values.entityName }} records live; swap for a PostgreSQL store via DATABASE_URL. */
export interface ${{ values.entityName }}Store {
  get(id: string): Promise<${{ values.entityName }}Record | undefined>;
  list(first: number): Promise<${{ values.entityName }}Record[]>;
  create(name: string): Promise<${{ values.entityName }}Record>;
}

export class InMemory${{ values.entityName }}Store implements ${{ values.entityName }}Store {
  private readonly records = new Map<string, ${{ values.entityName }}Record>();

  async get(id: string) {
    return this.records.get(id);
  }

  async list(first: number) {
    return [...this.records.values()].slice(0, Math.max(0, Math.min(first, 100)));
  }

  async create(name: string) {
    const record = { id: randomUUID(), name, createdAt: new Date().toISOString() };
    this.records.set(record.id, record);
    return record;
  }
}
