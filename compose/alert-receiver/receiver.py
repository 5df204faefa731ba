"""The stack's own Alertmanager webhook receiver: prints every notification it is sent, one line per alert.

Alertmanager POSTs its webhook payload (version 4) to /<receiver>, e.g. /on-call; each alert becomes a line
    <time> <receiver> FIRING|RESOLVED <severity> <alertname> <labels> - <summary>
on standard output (docker compose logs -f alert-receiver). GET /health answers 200, for the healthcheck.
Standard library only. Usage: python3 receiver.py [PORT] (default 8080).
"""
import datetime
import http.server
import json
import sys

SHOWN_ELSEWHERE = {"alertname", "severity"}


def lines(receiver, payload):
    """One line per alert of an Alertmanager webhook payload."""
    for alert in payload.get("alerts", []):
        labels = alert.get("labels", {})
        others = " ".join(f"{k}={v}" for k, v in sorted(labels.items()) if k not in SHOWN_ELSEWHERE)
        summary = alert.get("annotations", {}).get("summary", "")
        yield (f"{datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')} {receiver} "
               f"{alert.get('status', payload.get('status', '?')).upper()} {labels.get('severity', '-')} "
               f"{labels.get('alertname', '?')} {others} - {summary}")


class Handler(http.server.BaseHTTPRequestHandler):

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            payload = json.loads(body)
        except ValueError as e:
            self.send_error(400, f"not JSON: {e}")
            return
        for line in lines(self.path.strip("/") or "default", payload):
            print(line, flush=True)
        self.send_response(200)
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, format, *args):
        pass  # one line per alert, not one per request


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    server = http.server.ThreadingHTTPServer(("", port), Handler)
    print(f"alert receiver listening on :{port}", flush=True)
    server.serve_forever()
