"""The federation tables as they stand: every earlier migration of the app in one (``replaces``).

A database migrated before the squash has the replaced names recorded, so Django records this one
as applied and changes nothing; a new database is made by this one alone. The replaced files live
in ``tests/old_migrations/federation/``, where the test of the schema makes a database with them.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('federation', '0001_federations_rounds_transfers'), ('federation', '0002_transfer_unit'), ('federation', '0003_received_digest_signed')]

    initial = True

    dependencies = [
        ('members', '0001_squashed_0009_collective_pickup_hours'),
        ('plans', '0001_squashed_0007_plan_run_documents'),
    ]

    operations = [
        migrations.CreateModel(
            name='Federation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('uid', models.CharField(max_length=300, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.CreateModel(
            name='SeenActivity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('activity_id', models.CharField(max_length=400, unique=True)),
                ('expires_at', models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name='Peer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('server', models.CharField(max_length=200)),
                ('slug', models.SlugField()),
                ('actor', models.CharField(max_length=300)),
                ('name', models.CharField(blank=True, max_length=100)),
                ('state', models.CharField(choices=[('active', 'active'), ('suspended', 'suspended'), ('left', 'left')], default='active', max_length=12)),
                ('joined_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('last_answered_at', models.DateTimeField(blank=True, null=True)),
                ('failures', models.PositiveIntegerField(default=0)),
                ('next_try_at', models.DateTimeField(blank=True, null=True)),
                ('collective', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='federation_peers', to='members.collective')),
                ('federation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='peers', to='federation.federation')),
            ],
            options={
                'ordering': ['pk'],
                'constraints': [models.UniqueConstraint(fields=('federation', 'actor'), name='peer_actor_unique')],
            },
        ),
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('expires_at', models.DateTimeField()),
                ('used_at', models.DateTimeField(blank=True, null=True)),
                ('federation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='federation.federation')),
                ('inviter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='federation.peer')),
            ],
        ),
        migrations.CreateModel(
            name='PeerKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key_id', models.CharField(max_length=400)),
                ('public_key', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('retired_at', models.DateTimeField(blank=True, null=True)),
                ('peer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='keys', to='federation.peer')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('peer', 'key_id'), name='peer_key_unique')],
            },
        ),
        migrations.CreateModel(
            name='Round',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uid', models.CharField(max_length=400)),
                ('started_here', models.BooleanField(default=False)),
                ('state', models.CharField(choices=[('collecting', 'collecting digests'), ('planned', 'planned'), ('applied', 'applied'), ('refused', 'refused'), ('left_out', 'left out')], default='collecting', max_length=12)),
                ('reason', models.CharField(blank=True, max_length=300)),
                ('digest_hash', models.CharField(blank=True, max_length=80)),
                ('local_problem', models.JSONField(blank=True, null=True)),
                ('local_digest', models.JSONField(blank=True, null=True)),
                ('union_plan', models.JSONField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('federation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rounds', to='federation.federation')),
                ('peer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rounds', to='federation.peer')),
                ('run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='plans.planrun')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.UniqueConstraint(fields=('peer', 'uid'), name='round_uid_unique')],
            },
        ),
        migrations.CreateModel(
            name='RoundMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(choices=[('asked', 'asked'), ('planned', 'planned'), ('left_out', 'left out'), ('refused', 'refused')], default='asked', max_length=12)),
                ('reason', models.CharField(blank=True, max_length=300)),
                ('digest_hash', models.CharField(blank=True, max_length=80)),
                ('bytes_sent', models.PositiveIntegerField(default=0)),
                ('bytes_received', models.PositiveIntegerField(default=0)),
                ('peer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='federation.peer')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='federation.round')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('round', 'peer'), name='round_member_unique')],
            },
        ),
        migrations.CreateModel(
            name='Transfer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uid', models.CharField(max_length=400)),
                ('offer_key', models.CharField(max_length=200)),
                ('need_key', models.CharField(max_length=200)),
                ('resource', models.CharField(max_length=300)),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=14)),
                ('place_name', models.CharField(blank=True, max_length=100)),
                ('place_lat', models.FloatField(blank=True, null=True)),
                ('place_lon', models.FloatField(blank=True, null=True)),
                ('state', models.CharField(choices=[('offered', 'offered'), ('accepted', 'accepted'), ('declined', 'declined'), ('expired', 'expired'), ('received', 'received')], default='offered', max_length=10)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('giver', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transfers_given', to='federation.peer')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transfers', to='federation.round')),
                ('taker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transfers_taken', to='federation.peer')),
                ('unit', models.CharField(blank=True, max_length=40)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('round', 'uid'), name='transfer_uid_unique')],
            },
        ),
        migrations.CreateModel(
            name='ReceivedDigest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('signed_digest', models.JSONField()),
                ('digest_hash', models.CharField(max_length=80)),
                ('received_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('peer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digests', to='federation.peer')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digests', to='federation.round')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('round', 'peer'), name='received_digest_unique')],
            },
        ),
    ]
