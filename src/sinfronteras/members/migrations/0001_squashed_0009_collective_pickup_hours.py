"""The members tables as they stand: every earlier migration of the app in one (``replaces``).

A database migrated before the squash has the replaced names recorded, so Django records this one
as applied and changes nothing; a new database is made by this one alone. The replaced files live
in ``tests/old_migrations/members/``, where the test of the schema makes a database with them.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import sinfronteras.members.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('members', '0001_initial'), ('members', '0002_collective_default_radius_km_and_more'), ('members', '0003_member_on_break_until'), ('members', '0004_member_removed_at'), ('members', '0005_collective_horizon_days'), ('members', '0005_api_token_scope_and_expiry'), ('members', '0006_merge_horizon_with_tokens'), ('members', '0005_collective_default_quorum'), ('members', '0006_join_token_scopes_and_default_quorum'), ('members', '0007_join_horizon_with_quorum_and_tokens'), ('members', '0008_organisations_and_carrier_bounds'), ('members', '0009_collective_pickup_hours')]

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Collective',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('slug', models.SlugField(unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('default_radius_km', models.DecimalField(blank=True, decimal_places=2, help_text='Used when an offer says no reach. Empty: any distance.', max_digits=7, null=True, verbose_name='default reach of an offer in km')),
                ('retention_days', models.PositiveIntegerField(default=7, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)], verbose_name='days fulfilled needs are kept')),
                ('horizon_days', models.PositiveIntegerField(default=365, validators=[django.core.validators.MinValueValidator(7), django.core.validators.MaxValueValidator(3650)], verbose_name='how many days ahead a date may be')),
                ('default_quorum', models.DecimalField(decimal_places=2, default=Decimal('0.25'), help_text='Share of the active members who must vote on a proposal.', max_digits=3, validators=[django.core.validators.MinValueValidator(Decimal('0.01')), django.core.validators.MaxValueValidator(Decimal('1'))], verbose_name='quorum of a proposal')),
                ('carrier_areas', models.PositiveIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(50)], verbose_name='areas one member can offer carrying from')),
                ('carrier_hours_week', models.PositiveIntegerField(default=40, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(168)], verbose_name='hours a week one member can offer for carrying')),
                ('carrier_live_addresses', models.PositiveIntegerField(default=5, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(50)], verbose_name='live addresses one carrier sees at most')),
                ('carrier_reach_km', models.PositiveIntegerField(default=50, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000)], verbose_name='farthest reach of a carrying offer in km')),
                ('min_voting_hours', models.PositiveIntegerField(default=48, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(720)], verbose_name='hours a proposal stays open at least')),
                ('pickup_hours', models.PositiveIntegerField(default=24, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(168)], verbose_name='hours a giver has to give a pickup point')),
            ],
        ),
        migrations.CreateModel(
            name='Area',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('lat', models.FloatField(validators=[django.core.validators.MinValueValidator(-90), django.core.validators.MaxValueValidator(90)])),
                ('lon', models.FloatField(validators=[django.core.validators.MinValueValidator(-180), django.core.validators.MaxValueValidator(180)])),
                ('collective', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='areas', to='members.collective')),
            ],
            options={
                'ordering': ['name'],
                'constraints': [models.UniqueConstraint(fields=('collective', 'name'), name='area_name_unique')],
            },
        ),
        migrations.CreateModel(
            name='Member',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('username', models.CharField(help_text='Letters, digits and - _ only. Used to log in; others see your display name.', max_length=40, unique=True, verbose_name='login name')),
                ('display_name', models.CharField(max_length=60, verbose_name='display name')),
                ('language', models.CharField(choices=[('en', 'English'), ('es', 'Spanish')], default='en', max_length=8, verbose_name='language')),
                ('role', models.CharField(choices=[('member', 'member'), ('coordinator', 'coordinator')], default='member', max_length=16, verbose_name='role')),
                ('is_active', models.BooleanField(default=True)),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now)),
                ('failed_logins', models.PositiveIntegerField(default=0)),
                ('locked_until', models.DateTimeField(blank=True, null=True)),
                ('vouched_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='vouched_for', to=settings.AUTH_USER_MODEL)),
                ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.area')),
                ('collective', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='members', to='members.collective')),
                ('on_break_until', models.DateField(blank=True, null=True, verbose_name='on a break until')),
                ('removed_at', models.DateTimeField(blank=True, null=True)),
                ('is_organisation', models.BooleanField(default=False, verbose_name='an organisation')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Invite',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('expires_at', models.DateTimeField()),
                ('used_at', models.DateTimeField(blank=True, null=True)),
                ('collective', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invites', to='members.collective')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invites_created', to=settings.AUTH_USER_MODEL)),
                ('used_by', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='invite_used', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, verbose_name='name')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
                ('expires_at', models.DateTimeField(default=sinfronteras.members.models.token_expiry, verbose_name='expires')),
                ('scope', models.CharField(choices=[('member', 'member'), ('coordinator', 'coordinator')], default='member', max_length=16, verbose_name='scope')),
            ],
        ),
    ]
