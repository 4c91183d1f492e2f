"""The graph store: the only package that speaks Cypher.

Every query here runs on both engines, the embedded ArcadeDB and Neo4j 5 (tested on 5.26, the
graph and API suites run on each: ``make test``). Where they differ, the code keeps to what
both do, noted where it matters:

- Property values (records.py): Neo4j 5 refuses a list holding a null or mixed types, which
  ArcadeDB stores; neither stores maps. Lists are of strings only.
- Writes only in write transactions (store.py ``write``): Neo4j 5 refuses a write in a read
  transaction (``Neo.ClientError.Statement.AccessMode``; a cluster sends reads to followers),
  ArcadeDB runs it.
- Schema statements each in a transaction of their own (schema.py, catalogue.py): Neo4j 5
  refuses schema and data changes in one transaction, ArcadeDB allows them.
- Two processes creating the same node (races.py): Neo4j 5's MERGE waits on the unique
  constraint and finds the winner's node; ArcadeDB fails the later commit with a constraint
  error, and the write is settled by running it again.
- Notifications (store.py ``NEO4J_QUIET``): Neo4j 5 sends notes on missing property keys and
  cartesian products with every request; ArcadeDB sends none.
- One label per node (backup.py): ``labels(n)`` is sorted on ArcadeDB and in creation order on
  Neo4j 5, so ``labels(n)[0]`` is only the same on both for a node with one label.
- Ids are Kith's own ``id`` properties: ``id(n)`` and ``elementId(n)`` differ between engines
  (and ``id()`` is deprecated on Neo4j 5), so no query uses them. A MERGE on a null id fails on
  Neo4j 5 and makes an id-less node on ArcadeDB: ids are always set before a write (integrity.py
  counts nodes without one).
- The database: the embedded engine's is ``kith``; a Neo4j server's is ``NEO4J_DATABASE``
  (``neo4j`` by default, the only user database of a community server).
"""
