import os
import subprocess
import sys


def test_it_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_cannot_be_reached():
    # A real server process whose database is a closed port on loopback.
    probe = (
        "from django.test import Client; "
        "response = Client(HTTP_HOST='localhost').get('/healthz'); "
        "print(response.status_code, response.content.decode().strip())"
    )
    result = subprocess.run(
        [sys.executable, "-m", "sjalvservice", "shell", "--no-imports", "-c", probe],
        env={**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:9/unreachable"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "503 database unavailable", result.stderr


def test_it_rejects_post(client, db):
    assert client.post("/healthz").status_code == 405
