import { startStandaloneServer } from '@apollo/server/standalone';
import { createServer } from './server.ts';
import { InMemory${{ values.entityName }}Store } from './store.ts';

const store = new InMemory${{ values.entityName }}Store();
const port = Number(process.env.PORT ?? ${{ values.port }});
const { url } = await startStandaloneServer(createServer(), {
  listen: { port },
  context: async () => ({ store }),
});
console.log(`${{ values.name }} subgraph ready at ${url}`);
