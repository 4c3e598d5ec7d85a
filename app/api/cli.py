"""`flask tokens ...` (JSON API) and `flask apikeys ...` (Open311): create prints the secret once."""
import click
from flask.cli import AppGroup

from app.accounts.models import User
from app.api.models import ApiToken, TokenKind
from app.api.tokens import TokenError, create_token, revoke_token
from app.extensions import db


def _group(kind, name, what):
    group = AppGroup(name, help=f"Manage {what}.")

    @group.command("create")
    @click.option("--user", "username", required=True, help="Username the secret acts as.")
    @click.option("--label", default="", help="What will use it.")
    def create_command(username, label):
        """Create a secret for a user and print it once; only its hash is kept."""

        user = db.session.scalar(db.select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise click.UsageError(f"unknown user {username!r}")
        try:
            token, secret = create_token(user, kind=kind, label=label)
        except TokenError as error:
            raise click.UsageError(str(error)) from error
        db.session.commit()
        click.echo(f"created {kind.value} {token.prefix} for {user.username}; it is shown only now:", err=True)
        click.echo(secret)

    @group.command("revoke")
    @click.argument("prefix")
    def revoke_command(prefix):
        """Revoke the secret with this prefix."""
        token = db.session.scalar(db.select(ApiToken).where(ApiToken.prefix == prefix, ApiToken.kind == kind))
        if token is None:
            raise click.UsageError(f"no {kind.value} with prefix {prefix!r}")
        revoke_token(token, actor=token.user)
        db.session.commit()
        click.echo(f"revoked {kind.value} {prefix}")

    @group.command("list")
    def list_command():
        """List secrets of this kind: prefix, user, label, last use, state."""
        for token in db.session.scalars(db.select(ApiToken).where(ApiToken.kind == kind).order_by(ApiToken.id)):
            state = "revoked" if token.revoked_at else "active"
            used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
            click.echo(f"{token.prefix}  {token.user.username:24} {state:8} used {used:16} {token.label}")
    return group


tokens_cli = _group(TokenKind.TOKEN, "tokens", "personal access tokens of the JSON API (/api/v1)")
apikeys_cli = _group(TokenKind.APIKEY, "apikeys", "Open311 API keys (/open311/v2)")
