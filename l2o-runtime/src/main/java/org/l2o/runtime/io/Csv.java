package org.l2o.runtime.io;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** RFC 4180 CSV text: fields with commas, quotes or line breaks are quoted. */
public final class Csv {

    private Csv() {
    }

    public static String of(List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder();
        line(b, header);
        for (List<String> r : rows) {
            line(b, r);
        }
        return b.toString();
    }

    public static byte[] bytes(List<String> header, List<List<String>> rows) {
        return of(header, rows).getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder b, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String c = cells.get(i);
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                b.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                b.append(c);
            }
        }
        b.append('\n');
    }
}
