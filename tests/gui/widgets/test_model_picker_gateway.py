"""The model picker offers a team gateway's models in their own group, with its prices."""

from __future__ import annotations

from PySide6.QtCore import Qt

from roundtable.domain.pricing import GATEWAY_PRICE, Price
from roundtable.gui.widgets.model_picker import ModelPicker
from roundtable.providers import ModelInfo

GATEWAY_BASE = "http://10.0.0.5:4000/v1"


def _gateway_model(name: str, price: Price | None) -> ModelInfo:
    return ModelInfo(
        id=f"litellm_proxy/{name}",
        label=f"{name} (team gateway at 10.0.0.5:4000)",
        provider="litellm_proxy",
        source="gateway",
        needs_key=False,
        key_present=True,
        api_base=GATEWAY_BASE,
        found_via="Settings › Team gateway",
        price=price,
    )


def test_the_gateways_models_are_a_group_of_their_own_with_prices(qtbot):
    picker = ModelPicker()
    qtbot.addWidget(picker)
    priced = _gateway_model("team-gpt", Price(2.0, 8.0, GATEWAY_PRICE))

    picker.set_models([priced, _gateway_model("team-mini", None)])

    rows = [picker.combo.itemText(i) for i in range(picker.combo.count())]
    assert rows == [
        "Team gateway (LiteLLM proxy)",
        "team-gpt (team gateway at 10.0.0.5:4000) · $2.00 / $8.00 per M",
        "team-mini (team gateway at 10.0.0.5:4000)",
    ]
    assert "the team gateway's price" in str(picker.combo.itemData(1, Qt.ItemDataRole.ToolTipRole))
    assert picker.status_label.text() == "Found 2 team gateway models."
    with qtbot.waitSignal(picker.seat_requested) as blocker:
        picker.add_button.click()
    [seat] = blocker.args
    # No address of its own: the seat follows the team gateway setting, so a table
    # saved with it works for a colleague whose gateway address differs.
    assert (seat.model, seat.api_base) == ("litellm_proxy/team-gpt", None)
