"""Admin: firms, orders, lots, deliveries, payments and the event log are read-only here; every write goes
through a service (and leaves a ``WorkshopEvent``) on the pages. Phones are shown masked."""

from django.contrib import admin

from linli.core.admin import ReadOnlyAdmin
from linli.core.text import mask_phone
from linli.workshop.models import Delivery, Firm, Lot, Order, Participant, Payment, WorkshopEvent


@admin.register(Firm)
class FirmAdmin(ReadOnlyAdmin):
    list_display = ("name", "community", "contact", "account")


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("item", "firm", "community", "quantity", "unit_price_fen", "deadline", "status")
    list_filter = ("status",)


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ("name", "masked_phone", "community")
    exclude = ("phone",)

    @admin.display(description="电话")
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ("order", "participant", "quantity", "accepted", "rejected", "taken_on")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("lot", "delivered_on", "accepted", "rejected", "amount_fen")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("participant", "firm", "amount_fen", "paid_on")


@admin.register(WorkshopEvent)
class WorkshopEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "subject_type", "subject_id", "kind", "actor")
    list_filter = ("subject_type", "kind")
