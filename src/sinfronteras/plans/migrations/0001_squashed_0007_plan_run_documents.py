"""The plans tables as they stand: every earlier migration of the app in one (``replaces``).

A database migrated before the squash has the replaced names recorded, so Django records this one
as applied and changes nothing; a new database is made by this one alone. The replaced files live
in ``tests/old_migrations/plans/``, where the test of the schema makes a database with them.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('plans', '0001_initial'), ('plans', '0002_area_alert'), ('plans', '0003_run_names_rows_left_out'), ('plans', '0003_pickups_messages_timed_tasks'), ('plans', '0004_merge_left_out_with_pickups'), ('plans', '0005_task_dropped_reason_and_paused_by'), ('plans', '0006_task_seen_and_no_pickup'), ('plans', '0007_plan_run_documents')]

    initial = True

    dependencies = [
        ('members', '0001_squashed_0009_collective_pickup_hours'),
        ('sharing', '0001_squashed_0011_resource_uri'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PlanRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('queued', 'queued'), ('running', 'running'), ('done', 'done'), ('failed', 'failed')], default='queued', max_length=10)),
                ('progress', models.PositiveSmallIntegerField(default=0)),
                ('stage', models.CharField(blank=True, max_length=60)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('parameters', models.JSONField(blank=True, default=dict)),
                ('decisions', models.JSONField(blank=True, default=list)),
                ('summary', models.JSONField(blank=True, default=dict)),
                ('error', models.CharField(blank=True, max_length=300)),
                ('collective', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plan_runs', to='members.collective')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('left_out', models.JSONField(blank=True, default=list)),
                ('plan_doc', models.JSONField(blank=True, default=dict)),
                ('problem_doc', models.JSONField(blank=True, default=dict)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status__in', ['queued', 'running'])), fields=('collective',), name='one_active_plan_run_per_collective')],
            },
        ),
        migrations.CreateModel(
            name='NeedOutcome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('met', models.DecimalField(decimal_places=3, max_digits=12)),
                ('fraction', models.FloatField()),
                ('tier', models.PositiveSmallIntegerField()),
                ('reason', models.CharField(blank=True, max_length=60)),
                ('need', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outcomes', to='sharing.need')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outcomes', to='plans.planrun')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('run', 'need'), name='one_outcome_per_need')],
            },
        ),
        migrations.CreateModel(
            name='Allocation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=12)),
                ('km', models.FloatField(default=0)),
                ('need', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='allocations', to='sharing.need')),
                ('offer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='allocations', to='sharing.offer')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='allocations', to='plans.planrun')),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='allocation_positive')],
            },
        ),
        migrations.CreateModel(
            name='SealedAddress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ciphertext', models.BinaryField()),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('need', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='sealed_address', to='sharing.need')),
            ],
        ),
        migrations.CreateModel(
            name='AreaAlert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('raised_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('until', models.DateTimeField()),
                ('lifted_at', models.DateTimeField(blank=True, null=True)),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to='members.area', verbose_name='area')),
                ('collective', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='alerts', to='members.collective')),
                ('raised_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-raised_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Task',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=12)),
                ('kind', models.CharField(choices=[('handover', 'hand-over'), ('carry', 'carry')], max_length=10)),
                ('state', models.CharField(choices=[('open', 'looking for a carrier'), ('proposed', 'proposed'), ('accepted', 'accepted'), ('done', 'done'), ('declined', 'declined'), ('expired', 'expired'), ('superseded', 'replanned'), ('no_pickup', 'back to the plan: no pickup point')], default='proposed', max_length=10)),
                ('hours', models.DecimalField(decimal_places=2, default=0, max_digits=6)),
                ('km', models.FloatField(default=0)),
                ('window_start', models.DateTimeField()),
                ('window_end', models.DateTimeField()),
                ('accepted_at', models.DateTimeField(blank=True, null=True)),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('receiver_shares_name', models.BooleanField(default=False)),
                ('giver_shares_name', models.BooleanField(default=False)),
                ('allocation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='plans.allocation')),
                ('carrier', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='carried_tasks', to=settings.AUTH_USER_MODEL)),
                ('carrier_offer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='carried_tasks', to='sharing.offer')),
                ('need', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='sharing.need')),
                ('offer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='sharing.offer')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='plans.planrun')),
                ('timed', models.BooleanField(default=False)),
                ('dropped_at', models.DateTimeField(blank=True, null=True)),
                ('dropped_reason', models.CharField(blank=True, choices=[('replanned', 'the plan was made again'), ('alert', 'an alert paused it')], max_length=20)),
                ('paused_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='paused_tasks', to='plans.areaalert')),
            ],
            options={
                'ordering': ['window_end', 'pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state__in', ['open', 'proposed', 'accepted'])), fields=('allocation',), name='one_live_task_per_allocation'), models.CheckConstraint(condition=models.Q(models.Q(('state__in', ['accepted', 'done']), _negated=True), ('carrier__isnull', False), _connector='OR'), name='accepted_task_has_a_carrier'), models.CheckConstraint(condition=models.Q(('window_end__gt', models.F('window_start'))), name='task_window_is_not_empty')],
            },
        ),
        migrations.CreateModel(
            name='SealedPickup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ciphertext', models.BinaryField()),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('offer', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='sealed_pickup', to='sharing.offer')),
            ],
        ),
        migrations.CreateModel(
            name='TaskMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('giver', 'giver'), ('carrier', 'carrier'), ('receiver', 'receiver')], max_length=10)),
                ('ciphertext', models.BinaryField()),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to='plans.task')),
            ],
            options={
                'ordering': ['created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='TaskSeen',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seen_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='seen_by', to='plans.task')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('task', 'member'), name='one_seen_per_task_member')],
            },
        ),
    ]
