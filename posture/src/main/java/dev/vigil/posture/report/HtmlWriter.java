package dev.vigil.posture.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML page: inline CSS and script, no external resources, so it opens offline
 * and can be mailed or archived. Totals by severity head a table of findings (severity, check,
 * resource, location, message, fix, references, waiver) that sorts by any column on a click and
 * filters by text, minimum severity and waived state, all in the browser.
 */
public final class HtmlWriter implements ReportWriter {

    private final Writer out;
    private final AuditInfo info;
    private final List<Finding> findings = new ArrayList<>();

    public HtmlWriter(Writer out, AuditInfo info) {
        this.out = out;
        this.info = info;
    }

    @Override
    public void finding(Finding finding) {
        findings.add(finding);
    }

    @Override
    public void finish(Summary summary) {
        findings.sort(Comparator.comparing(Finding::waived).thenComparing(Finding::severity, Comparator.reverseOrder())
                .thenComparing(f -> f.resource().display()).thenComparing(Finding::check));
        Map<Severity, Long> counts = new EnumMap<>(Severity.class);
        long waived = 0;
        for (Finding f : findings) {
            if (f.waived()) {
                waived++;
            } else {
                counts.merge(f.severity(), 1L, Long::sum);
            }
        }
        StringBuilder b = new StringBuilder(8192 + findings.size() * 512);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Vigil ")
                .append(h(info.title())).append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n");
        b.append("<header><h1>Vigil — ").append(h(info.title())).append("</h1><p class=\"meta\">input: ")
                .append(h(info.input())).append(" · vigil ").append(h(info.toolVersion())).append(" · ")
                .append(summary.objects()).append(" objects read");
        if (summary.anomalyCount() > 0) {
            b.append(" · ").append(summary.anomalyCount()).append(" unreadable");
        }
        if (summary.note() != null) {
            b.append(" · ").append(h(summary.note()));
        }
        b.append("</p></header>\n<section class=\"cards\">\n");
        for (Severity s : Severity.descending()) {
            b.append("<div class=\"card sev-").append(s.label()).append("\"><span class=\"n\" id=\"count-")
                    .append(s.label()).append("\">").append(counts.getOrDefault(s, 0L)).append("</span>")
                    .append(s.label()).append("</div>\n");
        }
        b.append("<div class=\"card waived\"><span class=\"n\" id=\"count-waived\">").append(waived)
                .append("</span>waived</div>\n</section>\n");
        b.append("<section class=\"controls\"><input id=\"filter\" type=\"search\" placeholder=\"filter: check, resource, message…\">")
                .append("<label>at least <select id=\"minsev\"><option value=\"0\">info</option><option value=\"1\">low</option>")
                .append("<option value=\"2\">medium</option><option value=\"3\">high</option><option value=\"4\">critical</option></select></label>")
                .append("<label><input id=\"showwaived\" type=\"checkbox\" checked> show waived</label>")
                .append("<span id=\"shown\"></span></section>\n");
        b.append("<table id=\"findings\"><thead><tr>");
        String[] headers = {"Severity", "Check", "Resource", "Location", "Message", "Fix", "References", "Waiver"};
        for (int i = 0; i < headers.length; i++) {
            b.append("<th data-col=\"").append(i).append("\">").append(headers[i]).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (Finding f : findings) {
            Resource r = f.resource();
            b.append("<tr class=\"").append(f.waived() ? "is-waived" : "open").append("\" data-sev=\"")
                    .append(f.severity().ordinal()).append("\"><td data-sort=\"").append(f.severity().ordinal())
                    .append("\"><span class=\"badge sev-").append(f.severity().label()).append("\">")
                    .append(f.severity().label()).append("</span></td><td><code>").append(h(f.check()))
                    .append("</code><div class=\"title\">").append(h(f.title())).append("</div></td><td>")
                    .append(h(r.display())).append("</td><td>").append(h(r.location() == null ? "cluster" : r.location()))
                    .append("</td><td>").append(h(f.message())).append("</td><td>").append(h(f.remediation()))
                    .append("</td><td>");
            List<String> refs = new ArrayList<>(f.references());
            refs.addAll(f.mitre());
            b.append(h(String.join(", ", refs))).append("</td><td>");
            if (f.waived()) {
                b.append(h(f.waiver().reason())).append("<div class=\"title\">").append(h(f.waiver().source())).append("</div>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");
        if (findings.isEmpty()) {
            b.append("<p class=\"empty\">No findings.</p>\n");
        }
        if (!summary.anomalies().isEmpty()) {
            b.append("<h2>Unreadable input</h2><ul class=\"anomalies\">\n");
            for (String a : summary.anomalies()) {
                b.append("<li>").append(h(a)).append("</li>\n");
            }
            b.append("</ul>\n");
        }
        b.append("<script>\n").append(SCRIPT).append("</script>\n</body></html>\n");
        try {
            out.append(b);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Escapes text for HTML content and attribute values. */
    static String h(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
            header{background:#24292f;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
            .meta{margin:4px 0 0;color:#d0d7de;font-size:13px}
            .cards{display:flex;gap:12px;padding:16px 24px;flex-wrap:wrap}
            .card{background:#fff;border-radius:6px;padding:10px 16px;min-width:90px;border-left:6px solid #8c959f;box-shadow:0 1px 2px #0002}
            .card .n{display:block;font-size:24px;font-weight:600}
            .sev-critical{border-color:#82071e}.sev-high{border-color:#cf222e}.sev-medium{border-color:#bf8700}
            .sev-low{border-color:#0969da}.sev-info{border-color:#8c959f}
            .controls{padding:0 24px 12px;display:flex;gap:16px;align-items:center}
            #filter{width:320px;padding:6px 8px;border:1px solid #d0d7de;border-radius:6px}
            table{border-collapse:collapse;margin:0 24px 24px;background:#fff;width:calc(100% - 48px)}
            th,td{border-bottom:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}
            th{background:#eaeef2;cursor:pointer;user-select:none;position:sticky;top:0}
            th.asc::after{content:" ▲"}th.desc::after{content:" ▼"}
            code{font-size:12px}.title{color:#57606a;font-size:12px}
            .badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;border:0}
            .badge.sev-critical{background:#82071e}.badge.sev-high{background:#cf222e}.badge.sev-medium{background:#9a6700}
            .badge.sev-low{background:#0969da}.badge.sev-info{background:#6e7781}
            tr.is-waived{opacity:.55}.empty{margin:0 24px}.anomalies{margin:0 24px 24px}
            """;

    private static final String SCRIPT = """
            (function(){
              var table=document.getElementById('findings'),body=table.tBodies[0];
              var rows=Array.prototype.slice.call(body.rows);
              var filter=document.getElementById('filter'),minsev=document.getElementById('minsev'),
                  waived=document.getElementById('showwaived'),shown=document.getElementById('shown');
              function apply(){
                var q=filter.value.toLowerCase(),min=+minsev.value,n=0;
                rows.forEach(function(r){
                  var ok=(+r.dataset.sev>=min)&&(waived.checked||!r.classList.contains('is-waived'))
                      &&(!q||r.textContent.toLowerCase().indexOf(q)>=0);
                  r.style.display=ok?'':'none';if(ok)n++;
                });
                shown.textContent=n+' of '+rows.length+' shown';
              }
              var sortCol=-1,asc=true;
              Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th){
                th.addEventListener('click',function(){
                  var c=+th.dataset.col;asc=(c===sortCol)?!asc:(c!==0);sortCol=c;
                  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(x){x.className='';});
                  th.className=asc?'asc':'desc';
                  rows.sort(function(a,b){
                    var x=a.cells[c],y=b.cells[c];
                    var u=x.dataset.sort!==undefined?+x.dataset.sort:x.textContent.toLowerCase();
                    var v=y.dataset.sort!==undefined?+y.dataset.sort:y.textContent.toLowerCase();
                    return (u<v?-1:u>v?1:0)*(asc?1:-1);
                  });
                  rows.forEach(function(r){body.appendChild(r);});
                });
              });
              filter.addEventListener('input',apply);minsev.addEventListener('change',apply);
              waived.addEventListener('change',apply);apply();
            })();
            """;
}
