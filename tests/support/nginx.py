"""deploy/nginx/ledarskap.conf as nginx runs it, on loopback: only the ports, the certificate
(self-signed, made here), the log file and gunicorn's port differ from the installed file."""

import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

SITE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "ledarskap.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def site_here(folder: Path, *, tls_port: int, http_port: int, upstream_port: int) -> str:
    """The site file with loopback ports, a certificate and a log file in `folder`."""
    cert, key = _certificate(folder)
    text = SITE.read_text()
    replacements = [
        (r"listen \[::\]:\d+[^;]*;\n", ""),  # loopback IPv4 only here
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;"),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{upstream_port};"),
        (r"ssl_certificate [^;]+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key [^;]+;", f"ssl_certificate_key {key};"),
        (r"/var/log/nginx/ledarskap\.access\.log", str(folder / "access.log")),
    ]
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        assert count, f"deploy/nginx/ledarskap.conf no longer has {pattern!r}"
    return text


def main_config(folder: Path, site: str) -> Path:
    """nginx.conf around the site, everything nginx writes kept in `folder`."""
    (folder / "site.conf").write_text(site)
    for name in ("body", "proxy"):
        (folder / name).mkdir(exist_ok=True)
    main = folder / "nginx.conf"
    main.write_text(
        f"""
daemon off;
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
{"user root;" if _is_root() else ""}
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {folder / "body"};
    proxy_temp_path {folder / "proxy"};
    include {folder / "site.conf"};
}}
"""
    )
    return main


def command(folder: Path, main: Path, *extra: str) -> list[str]:
    return [NGINX, "-p", str(folder), "-c", str(main), "-e", str(folder / "error.log"), *extra]


def _is_root() -> bool:
    import os

    return os.geteuid() == 0
