package dev.uring4j.examples;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * uring4j as JPMS modules: a program on the module path, with native access granted to the
 * binding's module only, serves and prints no warning; without the grant the JDK's warning names
 * that module, so the flag the README gives is the one that is needed.
 */
class ModulePathTest {

    /** The modules as the build leaves them: each module's compiled classes (an exploded module). */
    private static String modulePath() {
        List<String> dirs = new ArrayList<>();
        for (String module : new String[] {"uring4j-ring", "uring4j-runtime", "uring4j-http", "uring4j-examples"}) {
            Path classes = Path.of("..", module, "target", "classes").toAbsolutePath().normalize();
            assertTrue(Files.isRegularFile(classes.resolve("module-info.class")), classes + " holds a module");
            dirs.add(classes.toString());
        }
        return String.join(File.pathSeparator, dirs);
    }

    /** Runs the echo example on the module path with {@code flags}, echoes one message, returns its stderr. */
    private static String runEchoServer(List<String> flags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("--module-path", modulePath(),
                "-m", "dev.uring4j.examples/dev.uring4j.examples.EchoServer", "0"));
        Path stderr = Files.createTempFile("module-path", ".err");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("listening on "),
                    "the server started: " + line + "\n" + Files.readString(stderr));
            String address = line.substring(line.lastIndexOf('/') + 1);
            int colon = address.lastIndexOf(':');
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), 5000);
                s.setSoTimeout(5000);
                byte[] hello = "hello, modules".getBytes(StandardCharsets.UTF_8);
                s.getOutputStream().write(hello);
                assertArrayEquals(hello, s.getInputStream().readNBytes(hello.length));
            }
        } finally {
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the server stopped");
        }
        String err = Files.readString(stderr);
        Files.delete(stderr);
        return err;
    }

    @Test
    void withNativeAccessForTheBindingOnlyAProgramServesWithoutWarnings() throws Exception {
        String err = runEchoServer(List.of("--enable-native-access=dev.uring4j.ring"));
        assertFalse(err.contains("restricted method") || err.contains("native access"), err);
    }

    @Test
    void withoutTheFlagTheWarningNamesTheBindingsModule() throws Exception {
        String err = runEchoServer(List.of());
        assertTrue(err.contains("restricted method") && err.contains("dev.uring4j.ring"), err);
        assertTrue(err.contains("--enable-native-access=dev.uring4j.ring"), err);
    }
}
