"""Transfers get their hand-over window, public place hours and each side's hand-over tasks."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('federation', '0001_squashed_0003_received_digest_signed'),
        ('sharing', '0001_squashed_0011_resource_uri'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='transfer',
            name='confirmation',
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='transfer',
            name='opening_hours',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='transfer',
            name='reason',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='transfer',
            name='window_end',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='transfer',
            name='window_start',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name='Handover',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=12)),
                ('hours', models.DecimalField(decimal_places=2, default=0, max_digits=6)),
                ('state', models.CharField(choices=[('waiting', 'waiting for the other collective'), ('proposed', 'proposed'), ('handed', 'handed over'), ('received', 'received'), ('done', 'done'), ('released', 'released')], default='waiting', max_length=10)),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('carrier', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('carrier_offer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sharing.offer')),
                ('need', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sharing.need')),
                ('offer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sharing.offer')),
                ('transfer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='handovers', to='federation.transfer')),
            ],
            options={
                'ordering': ['pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('offer__isnull', False), ('need__isnull', False), _connector='XOR'), name='handover_gives_or_takes')],
            },
        ),
    ]
