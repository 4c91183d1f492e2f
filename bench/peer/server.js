// The peer `make bench` measures beside Kith: the Neo4j GraphQL Library serving Kith's own
// graph, as Kith writes it (graph/records.py, graph/directory.py, graph/taxonomy.py), over
// HTTP with Apollo Server. Nothing here is Kith's code: the schema below is what a graph team
// would write for the same nodes, and every query the bench sends is one the library generates.
//
//   NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_USERNAME=neo4j NEO4J_PASSWORD=... PORT=4000 \
//     node bench/peer/server.js        # prints "READY http://127.0.0.1:PORT" once it answers
//
// One addition to Kith's graph: Kith keeps a venue's position as `lat` and `lon` floats, and
// the library's distance filter works on a Point property, so the bench sets `location` on the
// venues (bench/peer.py; Kith never reads it). `distanceKm` is a @cypher field, the library's
// way to return a value it does not store; ordering by distance is not something the generated
// queries can do (see the README's Performance section).
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

// Case-insensitive text filters are off unless asked for: Kith's search ignores case.
export const features = { filters: { String: { CASE_INSENSITIVE: true } } };

export const typeDefs = /* GraphQL */ `
  type Venue @node {
    id: ID!
    name: String!
    address: String
    postcode: String
    lat: Float
    lon: Float
    location: Point
    stepFree: Boolean
    hearingLoop: Boolean
    accessibleToilet: Boolean
    parking: Boolean
    activities: [Activity!]! @relationship(type: "HELD_AT", direction: IN)
  }

  type Group @node {
    id: ID!
    name: String!
    description: String
    website: String
    activities: [Activity!]! @relationship(type: "RUN_BY", direction: IN)
  }

  type Interest @node {
    id: ID!
    name: String!
    synonyms: [String!]
    broader: [Interest!]! @relationship(type: "BROADER", direction: OUT)
  }

  type Condition @node {
    id: ID!
    name: String!
    synonyms: [String!]
    broader: [Condition!]! @relationship(type: "BROADER", direction: OUT)
  }

  type Need @node {
    id: ID!
    name: String!
    synonyms: [String!]
    broader: [Need!]! @relationship(type: "BROADER", direction: OUT)
  }

  type Activity @node {
    id: ID!
    name: String!
    description: String
    cost: String
    free: Boolean
    audience: String
    sessions: [String!]
    days: [String!]
    status: String
    venue: [Venue!]! @relationship(type: "HELD_AT", direction: OUT)
    group: [Group!]! @relationship(type: "RUN_BY", direction: OUT)
    interests: [Interest!]! @relationship(type: "ABOUT", direction: OUT)
    conditions: [Condition!]! @relationship(type: "SUPPORTS", direction: OUT)
    needs: [Need!]! @relationship(type: "SUPPORTS", direction: OUT)
    "Kilometres from a point to the venue (computed; not a stored property)."
    distanceKm(latitude: Float!, longitude: Float!): Float
      @cypher(
        statement: """
        MATCH (this)-[:HELD_AT]->(v:Venue)
        RETURN point.distance(v.location, point({latitude: $latitude, longitude: $longitude})) / 1000.0 AS km
        """
        columnName: "km"
      )
  }
`;

async function main() {
  const port = Number(process.env.PORT || 4000);
  const driver = neo4j.driver(
    process.env.NEO4J_URI || "bolt://127.0.0.1:7687",
    neo4j.auth.basic(process.env.NEO4J_USERNAME || "neo4j", process.env.NEO4J_PASSWORD || ""),
  );
  const schema = await new Neo4jGraphQL({ typeDefs, driver, features }).getSchema();
  const server = new ApolloServer({ schema, introspection: true });
  const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port } });
  const stop = async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdin.on("end", stop); // the bench went away, however it died
  process.stdin.resume();
  console.log(`READY ${url}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
