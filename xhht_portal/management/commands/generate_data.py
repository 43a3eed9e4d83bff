"""Fill a database with synthetic data at district, province or national size."""

import time
from importlib import import_module, util

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from reporting.synthetic import PREFIX, SCALES, SyntheticDataExists, delete_synthetic, real_units_exist


class Command(BaseCommand):
    help = "Tạo dữ liệu tổng hợp (đơn vị, kỳ, báo cáo đã duyệt, danh hiệu) ở quy mô huyện, tỉnh hoặc toàn quốc."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="district")
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument("--reset", action="store_true", help="Xóa dữ liệu tổng hợp cũ trước khi tạo.")
        parser.add_argument(
            "--into-demo",
            action="store_true",
            help="Cho phép ghi vào cơ sở dữ liệu đã có đơn vị thật (dữ liệu mẫu); mặc định: từ chối.",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        if real_units_exist() and not options["into_demo"]:
            # Synthetic data goes into a database of its own (its tree, codes "S…", never mixes with
            # real units); asked before --reset deletes anything.
            raise CommandError(
                "Cơ sở dữ liệu này đã có đơn vị thật (dữ liệu mẫu): hãy tạo dữ liệu tổng hợp trong một cơ sở dữ liệu "
                f"riêng (DATABASE_URL), hoặc thêm --into-demo. Đơn vị tổng hợp có mã bắt đầu bằng “{PREFIX}”."
            )
        if options["reset"]:
            for config in reversed(apps.get_app_configs()):
                if (
                    util.find_spec(f"{config.name}.synthetic")
                    and hasattr(module := import_module(f"{config.name}.synthetic"), "delete_synthetic")
                    and module.delete_synthetic is not delete_synthetic
                ):
                    module.delete_synthetic()
            delete_synthetic()
        # Each app with synthetic data ships ``synthetic.generate(scale_name=, seed=, stdout=)``,
        # run in INSTALLED_APPS order (units and reports before recognitions).
        try:
            for config in apps.get_app_configs():
                name = f"{config.name}.synthetic"
                if util.find_spec(name) is None:
                    continue
                extra = {"into_demo": True} if name == "reporting.synthetic" and options["into_demo"] else {}
                import_module(name).generate(
                    scale_name=options["scale"], seed=options["seed"], stdout=self.stdout, **extra
                )
                self.stdout.write("")
        except SyntheticDataExists as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Xong sau {time.perf_counter() - started:.1f} s."))
