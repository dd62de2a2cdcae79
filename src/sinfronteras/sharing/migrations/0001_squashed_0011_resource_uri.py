"""The sharing tables as they stand: every earlier migration of the app in one (``replaces``).

A database migrated before the squash has the replaced names recorded, so Django records this one
as applied and changes nothing; a new database is made by this one alone. The replaced files live
in ``tests/old_migrations/sharing/``, where the test of the schema makes a database with them.
"""

import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
import django.utils.timezone
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('sharing', '0001_initial'), ('sharing', '0002_need_fulfilled_at_offer_committed_milli_and_more'), ('sharing', '0003_resource_in_person'), ('sharing', '0004_offer_weekly'), ('sharing', '0005_resource_unit_es'), ('sharing', '0006_offer_public_place_and_slots'), ('sharing', '0006_idempotency_digest'), ('sharing', '0007_merge_idempotency_and_slots'), ('sharing', '0006_bounded_quantities_and_reach'), ('sharing', '0008_merge_bounds_with_slots'), ('sharing', '0006_resource_step'), ('sharing', '0008_join_resource_step_with_idempotency_and_slots'), ('sharing', '0009_join_bounds_with_steps'), ('sharing', '0010_bounded_step'), ('sharing', '0011_resource_uri')]

    initial = True

    dependencies = [
        ('members', '0001_squashed_0009_collective_pickup_hours'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Resource',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField(max_length=40)),
                ('name_en', models.CharField(max_length=80, verbose_name='name (English)')),
                ('name_es', models.CharField(max_length=80, verbose_name='name (Spanish)')),
                ('unit', models.CharField(max_length=20, verbose_name='unit (English)')),
                ('basic', models.BooleanField(default=False, verbose_name='basic need')),
                ('collective', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='resources', to='members.collective')),
                ('carries', models.BooleanField(default=False, verbose_name='carrying')),
                ('in_person', models.BooleanField(default=False, verbose_name='given in person')),
                ('unit_es', models.CharField(blank=True, max_length=20, verbose_name='unit (Spanish)')),
                ('step', models.DecimalField(blank=True, decimal_places=3, help_text='The least that can be handed over: 1 for packs or rides, 0.5 for hours, 0.1 for kg. Empty: any amount.', max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0.001'), message='Give at least 0.001.'), django.core.validators.MaxValueValidator(Decimal('1000000'), message='Give at most 1,000,000; for more, post it in several parts.')], verbose_name='smallest amount')),
                ('uri', models.URLField(blank=True, help_text="e.g. http://www.wikidata.org/entity/Q5090 for rice: other collectives' resources with the same one can meet your needs.", max_length=300, verbose_name='shared name (Wikidata item)')),
            ],
            options={
                'ordering': ['-basic', 'name_en'],
                'constraints': [models.UniqueConstraint(fields=('collective', 'key'), name='resource_key_unique'), models.CheckConstraint(condition=models.Q(('step__isnull', True), ('step__gt', 0), _connector='OR'), name='resource_step_positive')],
            },
        ),
        migrations.CreateModel(
            name='Need',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0.001'), message='Give at least 0.001.'), django.core.validators.MaxValueValidator(Decimal('1000000'), message='Give at most 1,000,000; for more, post it in several parts.')], verbose_name='quantity')),
                ('urgent', models.BooleanField(default=False, verbose_name='urgent')),
                ('needed_by', models.DateField(blank=True, null=True, verbose_name='needed by')),
                ('status', models.CharField(choices=[('open', 'open'), ('fulfilled', 'fulfilled'), ('withdrawn', 'withdrawn')], default='open', max_length=16)),
                ('idempotency_key', models.CharField(blank=True, editable=False, max_length=64, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='needs', to='members.area', verbose_name='area')),
                ('collective', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='needs', to='members.collective')),
                ('posted_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='needs', to=settings.AUTH_USER_MODEL)),
                ('resource', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='needs', to='sharing.resource', verbose_name='what you need')),
                ('fulfilled_at', models.DateTimeField(blank=True, null=True)),
                ('idempotency_digest', models.CharField(blank=True, default='', editable=False, max_length=64)),
            ],
            options={
                'ordering': ['-urgent', 'needed_by', 'created_at'],
                'constraints': [models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='need_quantity_positive'), models.UniqueConstraint(condition=models.Q(('idempotency_key__isnull', False)), fields=('posted_by', 'idempotency_key'), name='need_idempotency_key_unique')],
            },
        ),
        migrations.CreateModel(
            name='Offer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0.001'), message='Give at least 0.001.'), django.core.validators.MaxValueValidator(Decimal('1000000'), message='Give at most 1,000,000; for more, post it in several parts.')], verbose_name='quantity')),
                ('radius_km', models.DecimalField(blank=True, decimal_places=2, help_text='How far from your area you can give. Empty: any distance.', max_digits=7, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'), message='Give a reach of 0 km or more, or leave it empty.'), django.core.validators.MaxValueValidator(Decimal('20000'), message='Give a reach of at most 20,000 km (anywhere on Earth), or leave it empty for any distance.')], verbose_name='reach in km')),
                ('available_until', models.DateField(blank=True, null=True, verbose_name='available until')),
                ('status', models.CharField(choices=[('active', 'active'), ('withdrawn', 'withdrawn')], default='active', max_length=16)),
                ('idempotency_key', models.CharField(blank=True, editable=False, max_length=64, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='offers', to='members.area', verbose_name='area')),
                ('collective', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='offers', to='members.collective')),
                ('posted_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='offers', to=settings.AUTH_USER_MODEL)),
                ('resources', models.ManyToManyField(related_name='offers', to='sharing.resource')),
                ('committed_milli', models.BigIntegerField(default=0, editable=False)),
                ('week_of', models.DateField(blank=True, editable=False, null=True)),
                ('weekly', models.BooleanField(default=False, help_text='The quantity comes back each week (e.g. 3 hours every Saturday).', verbose_name='every week')),
                ('public_place', models.CharField(blank=True, help_text="Only for an organisation's public place (a pantry, a church), shown to the people of a delivery. Never a home: seal a pickup point instead.", max_length=200, verbose_name='public place')),
                ('idempotency_digest', models.CharField(blank=True, default='', editable=False, max_length=64)),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='offer_quantity_positive'), models.CheckConstraint(condition=models.Q(('radius_km__isnull', True), ('radius_km__gte', 0), _connector='OR'), name='offer_radius_not_negative'), models.UniqueConstraint(condition=models.Q(('idempotency_key__isnull', False)), fields=('posted_by', 'idempotency_key'), name='offer_idempotency_key_unique'), models.CheckConstraint(condition=models.Q(('committed_milli__gte', 0), ('committed_milli__lte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('quantity'), '*', models.Value(1000)), '+', models.Value(Decimal('0.5'))))), name='offer_never_over_committed')],
            },
        ),
        migrations.CreateModel(
            name='Slot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('weekday', models.PositiveSmallIntegerField(choices=[(0, 'Mondays'), (1, 'Tuesdays'), (2, 'Wednesdays'), (3, 'Thursdays'), (4, 'Fridays'), (5, 'Saturdays'), (6, 'Sundays')], verbose_name='day')),
                ('start', models.TimeField(verbose_name='from')),
                ('end', models.TimeField(verbose_name='until')),
                ('need', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='slots', to='sharing.need')),
                ('offer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='slots', to='sharing.offer')),
            ],
            options={
                'ordering': ['weekday', 'start', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('offer__isnull', False), ('need__isnull', True)), models.Q(('offer__isnull', True), ('need__isnull', False)), _connector='OR'), name='slot_of_one_need_or_offer'), models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='slot_not_empty'), models.CheckConstraint(condition=models.Q(('weekday__lte', 6)), name='slot_weekday_valid')],
            },
        ),
    ]
