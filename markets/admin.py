from django.contrib import admin

from core.admin_tools import FulcrumAdmin
from markets import calendar
from markets.models import DailyBar, ExchangeHoliday, Instrument, Suspension


class SuspensionInline(admin.TabularInline):
    model = Suspension
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(FulcrumAdmin):
    list_display = ["code", "name", "exchange", "board", "kind", "is_st", "lot_size"]
    list_filter = ["exchange", "board", "kind", "is_st"]
    search_fields = ["code", "name"]
    inlines = [SuspensionInline]


@admin.register(DailyBar)
class DailyBarAdmin(admin.ModelAdmin):
    list_display = ["instrument", "date", "open", "high", "low", "close", "volume"]
    list_filter = ["instrument"]
    date_hierarchy = "date"
    list_select_related = ["instrument"]


@admin.register(ExchangeHoliday)
class ExchangeHolidayAdmin(FulcrumAdmin):
    list_display = ["day", "name", "calendar"]
    date_hierarchy = "day"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar.refresh()
