import click

from ..extensions import db
from ..models import ROLE_TARGETS, Role
from .services import AccountError, create_user


def init_app(app):
    @app.cli.command("create-user")
    @click.option("--username", required=True)
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option("--role", "role_value", required=True, type=click.Choice([r.value for r in Role]))
    @click.option(
        "--target", default=None, help="Namnet på regionen, kommunen, boendet eller vårdcentralen."
    )
    def create_user_command(username, email, name, password, role_value, target):
        """Skapa en användare med en roll."""
        role = Role(role_value)
        target_id = None
        if role is not Role.ADMIN:
            model = ROLE_TARGETS[role].model
            found = db.session.scalar(db.select(model).where(model.name == target))
            if found is None:
                raise click.ClickException(f"Hittar ingen organisation som heter {target!r}.")
            target_id = found.id
        try:
            user = create_user(
                username=username,
                email=email,
                name=name,
                password=password,
                scopes=[(role, target_id)],
            )
        except AccountError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Skapade användaren {user.username}.")
