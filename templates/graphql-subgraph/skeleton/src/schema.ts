import { gql } from 'graphql-tag';

// Federation 2: the router joins ${{ values.entityName }} from every subgraph by its @key.
export const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

  type ${{ values.entityName }} @key(fields: "id") {
    id: ID!
    name: String!
    createdAt: String!
  }

  type Query {
    ${{ values.entityName | lower }}(id: ID!): ${{ values.entityName }}
    ${{ values.entityName | lower }}s(first: Int = 20): [${{ values.entityName }}!]!
  }

  type Mutation {
    create${{ values.entityName }}(name: String!): ${{ values.entityName }}!
  }
`;
