import { useState } from "react";
import { Button } from "@/components/ui/button";

// One product card. Every fact (price, stock, variant) comes from SQL via the server. A card
// numbered N is "the Nth one" to the assistant; an alternative says what it misses. The
// buttons send their request as data (ui/app.py `card_action`), with the words to show.
const BADGE = {
  in: { background: "#e6f4ea", color: "#1e6b37" },
  low: { background: "#fff4e0", color: "#8a5200" },
  out: { background: "#fdecea", color: "#a12a20" },
};

// A root-relative image URL ("/demo-images/tents.svg") is served by the assistant's own
// server. Inside the widget the page belongs to the store, so resolve it against the
// assistant (apiClient knows its address) rather than the page.
function imageSource(url) {
  if (url && url.startsWith("/") && !url.startsWith("//") && typeof apiClient !== "undefined") {
    return apiClient.buildEndpoint(url);
  }
  return url;
}

// A button's request goes as data; a host without actions gets the words as a message.
function press(action) {
  if (!action) return;
  if (typeof callAction === "function") {
    callAction({ name: "card_action", payload: action, forId: props.for_id || "" });
  } else {
    sendUserMessage(action.text);
  }
}

// One element holds a turn's cards, so they render in the order the conversation numbers
// them ("the second one"): separate elements were laid out in whatever order they loaded.
export default function ProductCards() {
  return (
    <div data-testid="product-cards" style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      {(props.cards || []).map((card) => <Card key={`${card.position}-${card.product_id}`} card={card} />)}
    </div>
  );
}

function Card({ card }) {
  const props = card;
  const [imageFailed, setImageFailed] = useState(!props.image_url);
  const compact = !!props.compact;
  const size = compact ? 56 : 88;
  const badge = BADGE[props.stock_level] || BADGE.in;
  const actions = props.actions || {};

  const placeholder = (
    <div
      data-testid="image-placeholder"
      aria-label={props.title}
      style={{
        width: size, height: size, borderRadius: 10, flexShrink: 0,
        display: "flex", alignItems: "center", justifyContent: "center",
        background: "linear-gradient(135deg, var(--shop-accent-soft, #e3efe8), #f4f1ea)",
        color: "var(--shop-accent, #2f6f4f)", fontWeight: 700,
        fontSize: compact ? 16 : 24, letterSpacing: 1,
      }}
    >
      {props.initials || "?"}
    </div>
  );

  return (
    <div
      data-testid="product-card"
      data-product-id={props.product_id}
      data-position={props.position || ""}
      data-fits={props.misses ? "no" : "yes"}
      data-variant-id={props.variant_id || ""}
      style={{
        display: "flex", gap: compact ? 8 : 14, padding: compact ? 8 : 12,
        border: "1px solid rgba(127,127,127,0.25)", borderRadius: 12,
        width: "100%", maxWidth: compact ? 360 : 560, boxSizing: "border-box",
        fontSize: compact ? 12 : 14, lineHeight: 1.35,
      }}
    >
      {imageFailed ? placeholder : (
        <img
          src={imageSource(props.image_url)}
          data-testid="card-image"
          alt={props.title}
          onError={() => setImageFailed(true)}
          style={{ width: size, height: size, objectFit: "cover", borderRadius: 10, flexShrink: 0 }}
        />
      )}
      <div style={{ display: "flex", flexDirection: "column", gap: 4, minWidth: 0, flex: 1 }}>
        <div style={{ fontWeight: 600, fontSize: compact ? 13 : 15 }} data-testid="card-title">
          {props.position ? <span style={{ opacity: 0.6 }}>#{props.position} </span> : null}
          {props.title}
        </div>
        {props.misses ? (
          <div data-testid="card-misses" style={{ color: "#a12a20", fontWeight: 600 }}>
            {props.misses}
          </div>
        ) : null}
        <div style={{ display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap" }}>
          <span data-testid="card-price" data-price={props.price}
                style={{ fontWeight: 700, fontSize: compact ? 13 : 16 }}>
            {props.price_text}
          </span>
          <span data-testid="stock-badge" data-level={props.stock_level}
                style={{ ...badge, borderRadius: 999, padding: "1px 8px", fontSize: 12,
                         fontWeight: 600 }}>
            {props.stock_text}
          </span>
          {props.variant_text ? (
            <span data-testid="card-variant" style={{ opacity: 0.75 }}>{props.variant_text}</span>
          ) : null}
        </div>
        <div style={{ opacity: 0.75 }}>
          {[props.brand, props.rating_text].filter(Boolean).join(" · ")}
        </div>
        {props.reason && !compact ? (
          <div data-testid="card-reason" style={{ fontStyle: "italic" }}>{props.reason}</div>
        ) : null}
        <div style={{ display: "flex", gap: 6, flexWrap: "wrap", marginTop: 4 }}>
          <Button size="sm" variant="outline" onClick={() => press(actions.compare)}>
            Compare
          </Button>
          <Button size="sm" variant="outline" onClick={() => press(actions.more)}>
            More like this
          </Button>
          {!compact ? (
            <Button size="sm" variant="outline" onClick={() => press(actions.size)}>
              Check my size
            </Button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
