from django.apps import AppConfig


class ChangeprogConfig(AppConfig):
    name = "changeprog"
    verbose_name = "ChangeProg"

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from changeprog import pagecache
        from changeprog.effective import stamp_effective_date

        # simple-history's hook for extra history columns: every governed history row gets its effective date.
        pre_create_historical_record.connect(stamp_effective_date, dispatch_uid="changeprog-effective-date")
        # Every saved record invalidates the cached pages of the programmes it belongs to.
        pagecache.connect()
        from django.core import checks

        checks.register(pagecache.check_shared_cache, checks.Tags.caches, deploy=True)
