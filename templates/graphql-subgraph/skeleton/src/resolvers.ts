import type { ${{ values.entityName }}Store } from './store.ts';

export interface Context {
  store: ${{ values.entityName }}Store;
}

export const resolvers = {
  Query: {
    ${{ values.entityName | lower }}: (_: unknown, args: { id: string }, ctx: Context) => ctx.store.get(args.id),
    ${{ values.entityName | lower }}s: (_: unknown, args: { first: number }, ctx: Context) => ctx.store.list(args.first),
  },
  Mutation: {
    create${{ values.entityName }}: (_: unknown, args: { name: string }, ctx: Context) => ctx.store.create(args.name),
  },
  ${{ values.entityName }}: {
    // Called by the router when another subgraph returns a ${{ values.entityName }} reference.
    __resolveReference: (reference: { id: string }, ctx: Context) => ctx.store.get(reference.id),
  },
};
