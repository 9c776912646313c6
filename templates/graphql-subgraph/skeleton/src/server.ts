import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { resolvers, type Context } from './resolvers.ts';
import { typeDefs } from './schema.ts';

export function createServer() {
  return new ApolloServer<Context>({
    schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }),
  });
}
