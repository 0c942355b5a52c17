"""A local stand-in for the Hugging Face Hub API (the endpoints huggingface_hub uses to create a
dataset repo, commit files, list and download them). It records every request and can be told
to fail commits, so tests can check what the real client sends."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlparse

from local_server import LocalServer


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class FakeHub(LocalServer):
    def __init__(self, fail_commits: bool = False):
        self.repos: dict[str, dict] = {}
        self.requests: list[tuple[str, str, dict, bytes]] = []
        self.commits: list[dict] = []
        self.fail_commits = fail_commits
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _send(self, status: int, payload=None, headers=None, raw: bytes | None = None, head=False):
                data = raw if raw is not None else json.dumps(payload if payload is not None else {}).encode()
                self.send_response(status)
                self.send_header(
                    "Content-Type", "application/json" if raw is None else "application/octet-stream"
                )
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                if not head:
                    self.wfile.write(data)

            def _route(self, method: str):
                body = self._body() if method in ("POST", "PUT") else b""
                url = urlparse(self.path)
                path = unquote(url.path)
                hub.requests.append((method, path, dict(self.headers), body))
                return hub.handle(self, method, path, body, parse_qs(url.query))

            def do_GET(self):
                self._route("GET")

            def do_HEAD(self):
                self._route("HEAD")

            def do_POST(self):
                self._route("POST")

        self.serve(Handler)
        self.url = f"http://127.0.0.1:{self.port}"

    # -- the API ---------------------------------------------------------------------------------
    def handle(self, h, method: str, path: str, body: bytes, query: dict | None = None):
        authorized = (h.headers.get("Authorization") or "").startswith("Bearer ")
        if method == "POST" and path == "/api/repos/create":
            if not authorized:
                return h._send(401, {"error": "unauthorized"})
            spec = json.loads(body)
            repo = f"{spec.get('organization') or 'user'}/{spec['name']}"
            private = spec.get("private", spec.get("visibility") == "private")
            kind = spec.get("type") or "model"
            self.repos.setdefault(
                repo, {"files": {}, "commit": "0" * 40, "private": private, "type": kind, "prs": []}
            )
            return h._send(200, {"url": f"{self.url}/datasets/{repo}", "name": repo})
        if method == "POST" and path == "/api/validate-yaml":  # the client checks a README's metadata
            return h._send(200, {"errors": [], "warnings": []})
        m = re.match(r"^/api/(?:datasets|models)/([^/]+/[^/]+)/(tree|preupload|commit)/([^/]+)(/.*)?$", path)
        if m:
            repo, action, _rev = m.group(1), m.group(2), m.group(3)
            if repo not in self.repos:
                return h._send(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
            state = self.repos[repo]
            if action == "tree":
                return h._send(
                    200,
                    [
                        {"type": "file", "path": p, "oid": blob_id(d), "size": len(d)}
                        for p, d in sorted(state["files"].items())
                    ],
                )
            if not authorized:
                return h._send(401, {"error": "unauthorized"})
            if action == "preupload":
                files = json.loads(body)["files"]
                return h._send(
                    200,
                    {
                        "files": [
                            {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files
                        ]
                    },
                )
            if self.fail_commits:
                return h._send(500, {"error": "storage backend unavailable"})
            lines = [json.loads(line) for line in body.splitlines() if line.strip()]
            files = {
                x["value"]["path"]: base64.b64decode(x["value"]["content"])
                for x in lines
                if x["key"] == "file"
            }
            if (query or {}).get("create_pr") in (["1"], ["true"], ["True"]):  # a pull request, not main
                state["prs"].append({"files": files, "header": lines[0]})
                number = len(state["prs"])
                oid = hashlib.sha1(body).hexdigest()
                return h._send(
                    200,
                    {
                        "commitUrl": f"{self.url}/{repo}/commit/{oid}",
                        "commitOid": oid,
                        "pullRequestUrl": f"{self.url}/{repo}/discussions/{number}",
                        "success": True,
                    },
                )
            state["files"].update(files)
            state["commit"] = hashlib.sha1(json.dumps(sorted(state["files"])).encode() + body).hexdigest()
            self.commits.append({"repo": repo, "files": sorted(files), "header": lines[0]})
            return h._send(
                200,
                {
                    "commitUrl": f"{self.url}/datasets/{repo}/commit/{state['commit']}",
                    "commitOid": state["commit"],
                    "success": True,
                },
            )
        m = re.match(r"^/api/datasets/([^/]+/[^/]+)/revision/([^/]+)$", path)
        if m and m.group(1) in self.repos:  # dataset_info: what datasets.load_dataset asks first
            state = self.repos[m.group(1)]
            return h._send(
                200,
                {
                    "id": m.group(1),
                    "sha": state["commit"],
                    "private": state["private"],
                    "siblings": [{"rfilename": p} for p in sorted(state["files"])],
                    "tags": [],
                    "lastModified": "2026-11-25T00:00:00.000Z",
                },
            )
        m = re.match(r"^/datasets/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$", path)
        if m and m.group(1) in self.repos:
            state = self.repos[m.group(1)]
            data = state["files"].get(m.group(3))
            if data is None:
                return h._send(
                    404,
                    {"error": "Entry not found"},
                    {"X-Error-Code": "EntryNotFound"},
                    head=method == "HEAD",
                )
            headers = {"X-Repo-Commit": state["commit"], "ETag": f'"{blob_id(data)}"'}
            return h._send(200, raw=data, headers=headers, head=method == "HEAD")
        return h._send(404, {"error": f"no route {method} {path}"}, head=method == "HEAD")
