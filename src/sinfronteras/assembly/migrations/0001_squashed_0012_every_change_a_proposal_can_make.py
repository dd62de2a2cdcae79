"""The assembly tables as they stand: every earlier migration of the app in one (``replaces``).

A database migrated before the squash has the replaced names recorded, so Django records this one
as applied and changes nothing; a new database is made by this one alone. The replaced files live
in ``tests/old_migrations/assembly/``, where the test of the schema makes a database with them.

``0005_secret_ballots_keep_no_date`` also ran ``forget_the_order_of_secret_ballots`` (RunPython):
it wiped the date of secret ballots cast before it and dealt their choices out again. It is not
kept here: it only fixed rows of that time, and this migration runs only on an empty database
(where it had nothing to do) or is recorded as applied on one that already ran it.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import uuid
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('assembly', '0001_initial'), ('assembly', '0002_proposal_subject'), ('assembly', '0003_proposal_withdrawn'), ('assembly', '0004_ballot_voter_set_null'), ('assembly', '0005_secret_ballots_keep_no_date'), ('assembly', '0006_horizon_can_change_by_decision'), ('assembly', '0005_change_of_quorum'), ('assembly', '0007_join_horizon_with_quorum'), ('assembly', '0008_change_of_quorum_or_horizon'), ('assembly', '0009_sealed_choices_and_project_needs'), ('assembly', '0010_change_pickup_hours'), ('assembly', '0011_federation_proposals'), ('assembly', '0012_every_change_a_proposal_can_make')]

    initial = True

    dependencies = [
        ('federation', '0001_squashed_0003_received_digest_signed'),
        ('members', '0001_squashed_0009_collective_pickup_hours'),
        ('sharing', '0001_squashed_0011_resource_uri'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Proposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=140, verbose_name='question')),
                ('body', models.TextField(blank=True, max_length=4000, verbose_name='what and why')),
                ('kind', models.CharField(choices=[('consent', 'consent (agree, abstain, disagree, block)'), ('majority', 'majority (yes or no)'), ('ranked', 'ranked choice'), ('approval', 'approval'), ('score', 'score (0 to 5)'), ('budget', 'participatory budget')], max_length=16, verbose_name='how to decide')),
                ('rule', models.CharField(blank=True, choices=[('schulze', 'Schulze (Condorcet)'), ('ranked-pairs', 'ranked pairs'), ('irv', 'instant runoff'), ('stv', 'single transferable vote (several seats)'), ('mes-add1', 'Method of Equal Shares'), ('greedy', 'greedy by votes')], max_length=16, verbose_name='counting rule')),
                ('seats', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(20)], verbose_name='how many to choose')),
                ('quorum', models.DecimalField(decimal_places=2, default=Decimal('0.50'), help_text="Share of the collective's active members who must vote.", max_digits=3, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('1'))], verbose_name='quorum')),
                ('ballot_mode', models.CharField(choices=[('open', 'open'), ('secret', 'secret')], default='secret', help_text='Secret: nobody can link a ballot to a member, and nothing is counted until voting closes. Open: members see who voted what.', max_length=8, verbose_name='ballot')),
                ('hide_results', models.BooleanField(default=True, help_text='A secret ballot always hides them.', verbose_name='hide results until voting closes')),
                ('opens_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('closes_at', models.DateTimeField(verbose_name='voting closes')),
                ('status', models.CharField(choices=[('open', 'open'), ('closed', 'closed'), ('withdrawn', 'withdrawn by its author')], default='open', max_length=10)),
                ('change', models.CharField(blank=True, choices=[('', 'nothing: it only records the decision'), ('basic', 'make a resource a basic need'), ('not_basic', 'make a resource not a basic need'), ('retention_days', 'how many days fulfilled needs are kept'), ('default_radius_km', 'the default reach of an offer'), ('default_quorum', 'the quorum of proposals'), ('horizon_days', "how many days ahead a need's or an offer's date may be"), ('pickup_hours', 'how many hours a giver has to give a pickup point'), ('coordinator', 'make a member a coordinator'), ('member', 'make a coordinator a member again'), ('remove', 'remove a member from the collective'), ('organisation', "mark an account as an organisation's: it does not vote"), ('person', "mark an account as a person's again"), ('min_voting_hours', 'how many hours a proposal stays open at least'), ('carrier_live_addresses', 'how many live addresses one carrier sees at most'), ('carrier_hours_week', 'how many hours a week one member can offer for carrying'), ('carrier_reach_km', 'the farthest reach of a carrying offer'), ('carrier_areas', 'how many areas one member can offer carrying from'), ('federation_join', 'join a federation with an invitation code'), ('federation_leave', 'leave the federation'), ('federation_suspend', 'suspend a member collective of the federation'), ('federation_resume', 'end the suspension of a member collective')], default='', max_length=24, verbose_name='if it passes, it changes')),
                ('change_value', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='new value')),
                ('budget', models.DecimalField(blank=True, decimal_places=3, max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0.001'))], verbose_name='budget')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='proposals', to=settings.AUTH_USER_MODEL)),
                ('collective', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to='members.collective')),
                ('resource', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.RESTRICT, related_name='proposals', to='sharing.resource', verbose_name='resource')),
                ('subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='member')),
                ('federation_code', models.CharField(blank=True, max_length=2000, verbose_name='invitation code')),
                ('peer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='federation.peer', verbose_name='member collective')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('quorum__gte', 0), ('quorum__lte', 1)), name='proposal_quorum_is_a_share'), models.CheckConstraint(condition=models.Q(('closes_at__gt', models.F('opens_at'))), name='proposal_window_not_empty')],
            },
        ),
        migrations.CreateModel(
            name='Participation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participations', to='assembly.proposal')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('proposal', 'member'), name='one_vote_per_member')],
            },
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('passed', models.BooleanField()),
                ('winners', models.JSONField(blank=True, default=list)),
                ('tally', models.JSONField(blank=True, default=dict)),
                ('voters', models.PositiveIntegerField()),
                ('members', models.PositiveIntegerField()),
                ('decided_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('applied_at', models.DateTimeField(blank=True, null=True)),
                ('proposal', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='decision', to='assembly.proposal')),
            ],
            options={
                'ordering': ['-decided_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Ballot',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('choice', models.JSONField()),
                ('cast_on', models.DateField(blank=True, null=True)),
                ('voter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ballots', to='assembly.proposal')),
            ],
            options={
                'constraints': [models.UniqueConstraint(condition=models.Q(('voter__isnull', False)), fields=('proposal', 'voter'), name='one_open_ballot_per_member')],
            },
        ),
        migrations.CreateModel(
            name='Option',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField()),
                ('label', models.CharField(max_length=120, verbose_name='option')),
                ('cost', models.DecimalField(blank=True, decimal_places=3, max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0.001'))], verbose_name='cost')),
                ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.area', verbose_name='area')),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='options', to='assembly.proposal')),
                ('place', models.CharField(blank=True, max_length=200, verbose_name='public place')),
            ],
            options={
                'ordering': ['position'],
                'constraints': [models.UniqueConstraint(fields=('proposal', 'position'), name='option_position_unique'), models.UniqueConstraint(fields=('proposal', 'label'), name='option_label_unique')],
            },
        ),
        migrations.CreateModel(
            name='ProjectNeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(max_length=120, verbose_name='project')),
                ('place', models.CharField(blank=True, max_length=200, verbose_name='public place')),
                ('decision', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='project_needs', to='assembly.decision')),
                ('need', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='project_link', to='sharing.need')),
            ],
        ),
        migrations.CreateModel(
            name='SealedChoice',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('ciphertext', models.BinaryField()),
                ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sealed_choices', to='assembly.proposal')),
            ],
        ),
    ]
