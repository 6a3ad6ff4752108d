"""Run the test OpenID provider: `python -m tests.oidc_op.serve PORT` with OP_CLIENT_ID, OP_CLIENT_SECRET,
OP_REDIRECT_URI, OP_USERS ("username:password:First:Last:email;...") and OP_GROUPS in the environment. It
migrates its own database, makes a signing key, the person and the client, prints READY and serves."""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main(port: int):
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_op.settings"
    os.environ.setdefault("OP_SITE_URL", f"http://127.0.0.1:{port}")
    import django

    django.setup()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oidc_provider.models import Client, ResponseType, RSAKey

    call_command("migrate", verbosity=0)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    RSAKey.objects.create(key=pem)
    for entry in filter(None, os.environ["OP_USERS"].split(";")):
        username, password, first, last, email = entry.split(":")
        User.objects.create_user(username, email=email, password=password, first_name=first, last_name=last)
    client = Client.objects.create(
        name="ChangeProg",
        client_type="confidential",
        client_id=os.environ["OP_CLIENT_ID"],
        client_secret=os.environ["OP_CLIENT_SECRET"],
        jwt_alg="RS256",
        require_consent=False,
        _redirect_uris=os.environ["OP_REDIRECT_URI"],
        _scope="openid email profile groups",
    )
    client.response_types.add(ResponseType.objects.get(value="code"))
    server = make_server("127.0.0.1", port, get_wsgi_application(), server_class=ThreadingServer,
                         handler_class=QuietHandler)  # fmt: skip
    print("READY", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]))
