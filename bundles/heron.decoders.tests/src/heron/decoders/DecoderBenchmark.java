package heron.decoders;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import heron.core.decode.WireApiDecoderRegistry;
import heron.core.health.PipelineHealth;
import heron.core.model.HttpExchange;
import heron.decoders.internal.JsonStream;
import heron.net.NetOptions;
import heron.testing.Captures;
import heron.testing.Registries;

/**
 * The decoders alone, single-threaded, over every exchange of a capture (not run by the build):
 * like {@code PipelineBenchmark decode}, but measured in the decoding thread's CPU time and
 * allocated bytes, so numbers hold on a shared machine. Usage: {@code DecoderBenchmark file [passes
 * [olderDecoderClasses]]}; with a class folder of another heron.decoders build, that version runs
 * alternately with this one (old, new, old, new ...) in the same JVM. Then, untimed, it prints a
 * digest of every decoded result (of the older build too when given, and of this build with the
 * fast paths off): equal digests mean identical results.
 */
public final class DecoderBenchmark {
    private DecoderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/big.pcap");
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<HttpExchange> exchanges = Captures.exchanges(BuiltIns.sources(), file, NetOptions.defaults(),
                new PipelineHealth());
        long bodyBytes = Captures.bodyBytes(exchanges);
        for (HttpExchange e : exchanges) {
            // Bodies and events are materialised lazily by heron.net: do it once, outside the timing.
            e.request().body().bytes();
            if (e.response() != null) {
                e.response().body().bytes();
                e.response().events().size();
            }
        }
        WireApiDecoderRegistry reg = BuiltIns.decoders();
        WireApiDecoderRegistry old = args.length > 2 ? olderDecoders(Path.of(args[2])) : null;
        for (int pass = 0; pass < passes; pass++) {
            if (old != null) {
                run("old pass " + pass, old, exchanges, bodyBytes);
            }
            run((old != null ? "new pass " : "pass ") + pass, reg, exchanges, bodyBytes);
        }
        // Outside the timing: what the decoders produced, to compare builds (same digest = same results).
        if (old != null) {
            System.out.println("old digest " + digest(old, exchanges));
        }
        System.out.println("digest " + digest(reg, exchanges));
        JsonStream.enabled = false;
        System.out.println("digest, tree walk only " + digest(reg, exchanges));
        JsonStream.enabled = true;
    }

    /**
     * SHA-256 over every exchange's label and whole decoded call (the records' toString, as the
     * golden test dumps them), in capture order.
     */
    static String digest(WireApiDecoderRegistry reg, List<HttpExchange> exchanges) throws Exception {
        java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
        PipelineHealth h = new PipelineHealth();
        long calls = 0;
        for (HttpExchange e : exchanges) {
            heron.core.decode.DecodeResult r = reg.decode(e, h);
            calls += r.call() == null ? 0 : 1;
            String line = "#" + e.id() + " label=" + r.exchange().label() + " " + (r.call() == null ? "-" : r.call()) + "\n";
            md.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return java.util.HexFormat.of().formatHex(md.digest()) + " (" + calls + " calls)";
    }

    /**
     * The same four decoders compiled from another version (a class folder of heron.decoders),
     * loaded child-first beside the current ones, so old and new run alternately in one JVM
     * under the same machine load.
     */
    static WireApiDecoderRegistry olderDecoders(Path classes) throws Exception {
        ClassLoader parent = DecoderBenchmark.class.getClassLoader();
        java.net.URLClassLoader l = new java.net.URLClassLoader(new java.net.URL[] { classes.toUri().toURL() }, parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(name)) {
                    if (name.startsWith("heron.decoders.") && !name.startsWith("heron.decoders.Decoder")) {
                        Class<?> c = findLoadedClass(name);
                        if (c == null) {
                            try {
                                c = findClass(name);
                            } catch (ClassNotFoundException e) {
                                c = super.loadClass(name, false);
                            }
                        }
                        return c;
                    }
                    return super.loadClass(name, resolve);
                }
            }
        };
        heron.core.registry.RegistryProblems p = new heron.core.registry.RegistryProblems();
        java.util.List<heron.core.registry.Contribution<heron.core.decode.WireApiDecoder>> list = new ArrayList<>();
        String[][] ids = { { "anthropic", "40", "AnthropicDecoder" }, { "openai-responses", "30", "OpenAiResponsesDecoder" },
                { "gemini", "20", "GeminiDecoder" }, { "openai-chat", "10", "OpenAiChatDecoder" } };
        for (String[] id : ids) {
            Class<?> c = l.loadClass("heron.decoders." + id[2]);
            list.add(Registries.contribution(id[0], Integer.parseInt(id[1]), () -> {
                try {
                    return (heron.core.decode.WireApiDecoder) c.getConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }, p));
        }
        return new WireApiDecoderRegistry(list, p);
    }

    private static void run(String label, WireApiDecoderRegistry reg, List<HttpExchange> exchanges, long bodyBytes) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        {
            JsonStream.FAST.reset();
            JsonStream.FELL_BACK.reset();
            JsonStream.FAST_EVENTS.reset();
            PipelineHealth h = new PipelineHealth();
            long cpu0 = mx.getCurrentThreadCpuTime();
            long alloc0 = mx.getThreadAllocatedBytes(tid);
            long t0 = System.nanoTime();
            long calls = Captures.decodeAll(reg, exchanges, h);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
            long alloc = mx.getThreadAllocatedBytes(tid) - alloc0;
            System.out.printf("%s: %,d calls, CPU %.2f s (wall %.2f s) = %.1f µs/call, %.0f MB/s of body (%.0f MB), "
                    + "allocated %.1f KB/call; fast request paths %d, fell back %d; fast events %d%n", label, calls, cpu, wall,
                    cpu * 1e6 / calls, bodyBytes / 1e6 / cpu, bodyBytes / 1e6, alloc / 1024.0 / calls, JsonStream.FAST.sum(),
                    JsonStream.FELL_BACK.sum(), JsonStream.FAST_EVENTS.sum());
        }
    }
}
