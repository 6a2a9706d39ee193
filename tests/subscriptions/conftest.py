"""Publications, people and a real local HTTP receiver for the subscription tests."""

from __future__ import annotations

import contextlib
import http.server
import itertools
import shutil
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field

import pytest

from standards.models import PublishedSnapshot, StandardVersion
from standards.roles import Role, ensure_role_groups
from standards.snapshot import SCHEMA_VERSION, snapshot
from tests.factories import DepartmentFactory, UserFactory, VersionFactory

_names = itertools.count()


def person(role, department=None):
    user = UserFactory(username=f"{role}-{next(_names)}", department=department)
    user.groups.set([ensure_role_groups()[role]])
    return user


def publish(department, *, name=None, number=1, change_note="", by=None, manual_text=None):
    """A published version with its stored snapshot, as `workflow.publish` leaves it."""
    version = VersionFactory(
        standard__item__department=department,
        standard__item__name=name or f"测试许可事项{next(_names)}",
        number=number,
        state=StandardVersion.State.PUBLISHED,
        change_note=change_note,
    )
    data = snapshot(version)
    if manual_text:
        # E03.08 is a manual-only field (audience "manual").
        data["content"]["implementing_agency"]["E03.08"] = manual_text
    return PublishedSnapshot.objects.create(
        version=version,
        schema_version=SCHEMA_VERSION,
        data=data,
        published_by=by or person(Role.DEPARTMENT_LEADER, department),
    )


@pytest.fixture
def department(db):
    return DepartmentFactory(name="佛山市南海区市场监督管理局")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(name="广东省住房和城乡建设厅")


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1; answers with `statuses` in turn (then the last one)."""

    url: str
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=lambda: [200])
    response_body: bytes = b'{"ok": true}'
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


def _handler(receiver: Receiver):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            if receiver.delay:
                time.sleep(receiver.delay)
            index = min(len(receiver.requests) - 1, len(receiver.statuses) - 1)
            self.send_response(receiver.statuses[index])
            for name, value in receiver.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(receiver.response_body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (timeout test)
                self.wfile.write(receiver.response_body)

        def log_message(self, *args):
            pass

    return Handler


def _serve(receiver, tls=None):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    return server


@pytest.fixture
def receiver(settings):
    """A receiver the delivery code may reach: tests allow loopback targets over HTTP."""
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = True
    receiver = Receiver(url="")
    server = _serve(receiver)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/standards?source=test"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def tls_receiver(settings, tmp_path):
    """An HTTPS receiver for "localhost" with a self-signed certificate trusted by the sender."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(  # noqa: S603 (fixed arguments)
        [
            openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = True
    settings.WEBHOOK_CA_FILE = str(cert)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    receiver = Receiver(url="")
    server = _serve(receiver, tls)
    receiver.url = f"https://localhost:{server.server_address[1]}/hooks"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()
