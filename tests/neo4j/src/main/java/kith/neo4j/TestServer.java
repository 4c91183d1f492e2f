package kith.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * A Neo4j community server in this JVM for Kith's test suite: the real engine behind a real Bolt
 * connector on loopback, so the Python tests talk to it exactly as they would to a deployment.
 *
 * <p>Usage: {@code java -cp 'target/*:target/lib/*' kith.neo4j.TestServer DATA_DIR [PORT [PASSWORD]]}.
 * PORT 0 (the default) picks a free one. With a PASSWORD the {@code neo4j} user gets it (auth on,
 * as on any real server); without one auth is off. Prints {@code READY bolt://127.0.0.1:PORT}
 * once the default database accepts connections, and shuts down cleanly when its stdin closes
 * (the test process went away, however it died) or on SIGTERM.
 */
public final class TestServer {
    private TestServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TestServer DATA_DIR [PORT [PASSWORD]]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        if (port == 0) {
            port = freePort();
        }
        String password = args.length > 2 && !args[2].isEmpty() ? args[2] : null;
        String address = "127.0.0.1:" + port;

        Map<String, String> config = new LinkedHashMap<>();
        config.put("server.default_listen_address", "127.0.0.1");
        config.put("server.default_advertised_address", "127.0.0.1");
        config.put("server.bolt.enabled", "true");
        config.put("server.bolt.listen_address", address);
        // The routing table a neo4j:// driver asks for names this address: without it a single
        // instance would advertise localhost:7687 and routing drivers would go there.
        config.put("server.bolt.advertised_address", address);
        config.put("server.bolt.tls_level", "DISABLED");
        config.put("dbms.security.auth_enabled", password == null ? "false" : "true");
        // Modest memory: a test world is a few thousand nodes.
        config.put("server.memory.pagecache.size", "64m");
        config.put("db.tx_log.rotation.retention_policy", "2 files");
        config.put("db.tx_log.rotation.size", "16m");
        // Bolt's event loops would wait 5 s, twice, for traffic that cannot come after shutdown.
        config.put("internal.dbms.bolt.netty_server_shutdown_quiet_period", "0");

        // Written as a neo4j.conf and loaded as a server loads its own: plain setting names.
        Files.createDirectories(home);
        Path conf = home.resolve("neo4j.conf");
        StringBuilder text = new StringBuilder();
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(conf, text.toString());
        DatabaseManagementService service =
                new DatabaseManagementServiceBuilder(home).loadPropertiesFromFile(conf).build();
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                System.out.println("STOPPING");
                System.out.flush();
                service.shutdown();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "neo4j-shutdown"));

        GraphDatabaseService db = service.database("neo4j");
        if (!db.isAvailable(TimeUnit.SECONDS.toMillis(120))) {
            System.err.println("the neo4j database did not become available");
            System.exit(1);
        }
        if (password != null) {
            // Neo4j 5 community creates user neo4j with password "neo4j", to be changed on first
            // use; a test run sets its own at once, as an operator would with neo4j-admin.
            service.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        }
        waitForBolt(port);
        System.out.println("READY bolt://" + address);
        System.out.flush();

        // Stay up until stdin closes: the parent's end of the pipe goes with the parent.
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // input is ignored; only its end matters
        }
        System.exit(0); // runs the shutdown hook
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static void waitForBolt(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        System.err.println("the Bolt connector did not open port " + port);
        System.exit(1);
    }
}
