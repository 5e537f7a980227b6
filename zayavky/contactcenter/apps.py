from django.apps import AppConfig


class ContactcenterConfig(AppConfig):
    name = "zayavky.contactcenter"
    label = "contactcenter"

    def ready(self) -> None:
        from zayavky.cases import anonymise
        from zayavky.contactcenter.models import IntakeRecord

        # Every hand-over keeps the payload as received, applicant included (refused and repeated ones too):
        # anonymised with its request, or — refused, with no request — by its own age.
        anonymise.register(
            IntakeRecord,
            scrub_json=["payload"],
            orphans_by="received_at",
            keep_json=["external_id", "received_at", "category"],
        )
