"""The units move here from `reporting` without losing a row.

`reporting.0006` renamed the tables (reporting_unit → units_unit, reporting_unitsuccession →
units_unitsuccession) and the index; this migration only declares the models in the state of
`units`, then renames the content types so that permissions, groups and admin history follow.
`reporting.0007` drops the models from reporting's state once every foreign key points here.
"""

import django.db.models.deletion
from django.db import migrations, models


def rename_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for model in ("unit", "unitsuccession"):
        old = ContentType.objects.using(db).filter(app_label="reporting", model=model).first()
        if old is None:  # a fresh database: post_migrate creates the content types later
            continue
        if ContentType.objects.using(db).filter(app_label="units", model=model).exists():
            continue
        old.app_label = "units"
        old.save(update_fields=["app_label"])
    # "view_all_units" stays "reporting.view_all_units" (declared on reporting.Submission now):
    # move the existing permission row so that the groups holding it keep it.
    perm = Permission.objects.using(db).filter(
        content_type__app_label="units", content_type__model="unit", codename="view_all_units"
    ).first()
    if perm is not None:
        submission_type, _created = ContentType.objects.using(db).get_or_create(
            app_label="reporting", model="submission"
        )
        existing = Permission.objects.using(db).filter(content_type=submission_type, codename="view_all_units").first()
        if existing is None:
            perm.content_type = submission_type
            perm.save(update_fields=["content_type"])
        else:
            for group in perm.group_set.all():
                group.permissions.add(existing)
            for user in perm.user_set.all():
                user.user_permissions.add(existing)
            perm.delete()


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    perm = Permission.objects.using(db).filter(
        content_type__app_label="reporting", content_type__model="submission", codename="view_all_units"
    ).first()
    for model in ("unit", "unitsuccession"):
        if not ContentType.objects.using(db).filter(app_label="reporting", model=model).exists():
            ContentType.objects.using(db).filter(app_label="units", model=model).update(app_label="reporting")
    unit_type = ContentType.objects.using(db).filter(app_label="reporting", model="unit").first()
    if perm is not None and unit_type is not None:
        perm.content_type = unit_type
        perm.save(update_fields=["content_type"])


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reporting", "0006_move_unit_tables"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Unit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=30, unique=True, verbose_name='mã')),
                        ('name', models.CharField(max_length=200, verbose_name='tên')),
                        ('kind', models.CharField(choices=[('province', 'Tỉnh'), ('district', 'Huyện'), ('town', 'Thị trấn'), ('commune', 'Xã'), ('ward', 'Phường'), ('village', 'Thôn, bản, khu'), ('department', 'Phòng, ban'), ('association', 'Hội, đoàn thể'), ('centre', 'Trung tâm')], max_length=20, verbose_name='loại')),
                        ('reporter_code', models.CharField(blank=True, choices=[('xa', 'UBND xã, thị trấn'), ('GD', 'Phòng GD&ĐT'), ('NV', 'Phòng Nội vụ'), ('LD', 'Phòng LĐ-TB&XH'), ('TT', 'Trung tâm GDNN-GDTX'), ('all', 'Mọi đơn vị (cán bộ của đơn vị)'), ('tinh', 'UBND tỉnh, thành phố')], help_text='Để trống nếu đơn vị không nộp báo cáo (ví dụ: thôn, bản).', max_length=10, verbose_name='báo cáo các chỉ tiêu của')),
                        ('valid_from', models.DateField(blank=True, null=True, verbose_name='hiệu lực từ')),
                        ('valid_to', models.DateField(blank=True, null=True, verbose_name='hiệu lực đến')),
                        ('order', models.PositiveIntegerField(default=0, verbose_name='thứ tự')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='units.unit', verbose_name='trực thuộc')),
                    ],
                    options={
                        'verbose_name': 'đơn vị',
                        'verbose_name_plural': 'đơn vị',
                        'ordering': ['order', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='UnitSuccession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='ngày hiệu lực')),
                        ('partial', models.BooleanField(default=False, verbose_name='chỉ một phần')),
                        ('legal_basis', models.CharField(blank=True, max_length=200, verbose_name='căn cứ')),
                        ('predecessor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='successions_out', to='units.unit')),
                        ('successor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='successions_in', to='units.unit')),
                    ],
                    options={
                        'verbose_name': 'sáp nhập, chia tách',
                        'verbose_name_plural': 'sáp nhập, chia tách',
                    },
                ),
                migrations.AddIndex(
                    model_name='unit',
                    index=models.Index(fields=['parent', 'kind'], name='units_unit_parent__b328c3_idx'),
                ),
                migrations.AddConstraint(
                    model_name='unitsuccession',
                    constraint=models.UniqueConstraint(fields=('predecessor', 'successor'), name='one_succession_per_pair'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
