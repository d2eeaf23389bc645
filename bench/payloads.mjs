// Generated payloads for the benchmarks: deterministic, realistic in shape and size.

const BUSINESS = "15550783881";
export const PHONE_NUMBER_ID = "106540352242922";
const WABA = "102290129340398";

/**
 * JSON as Meta sends it (non-ASCII escaped as \uXXXX), and as a server holds it: decoded from the
 * request's bytes. The decoding matters: V8 keeps a decoded ASCII text as one byte per character,
 * while the string `JSON.stringify` builds for a value with an emoji stays two bytes per character
 * even after the escaping: `JSON.parse` of the 3 MB history is 6% slower on it, and counting its
 * UTF-8 bytes 9x slower.
 */
function metaJson(value) {
  const json = JSON.stringify(value).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return new TextDecoder().decode(new TextEncoder().encode(json));
}

const WORDS =
  "hello thanks order delivery tomorrow price available size colour blue red shipping address payment invoice please yes no great perfect when where how much".split(
    " ",
  );

function sentence(seed, length) {
  let out = "";
  for (let index = 0; index < length; index++) out += (index === 0 ? "" : " ") + WORDS[(seed * 31 + index * 17) % WORDS.length];
  return out;
}

function historyMessage(thread, index, customer) {
  const fromBusiness = index % 3 === 1;
  const id = `wamid.HBgL${customer}FQIAEhgU${String(thread * 1000 + index).padStart(8, "0")}QkVOQ0gA`;
  const base = {
    from: fromBusiness ? BUSINESS : customer,
    id,
    timestamp: String(1739000000 + thread * 5000 + index * 37),
  };
  const status = { history_context: { status: ["read", "delivered", "READ", "sent", "played"][index % 5] } };
  switch (index % 20) {
    case 7:
      return {
        ...base,
        type: "image",
        image: {
          mime_type: "image/jpeg",
          sha256: "Ymy3Yd0vQyXW6lqqfD+L3bTz1ZQhQzC1DYbQpCy+xho=",
          id: String(1598767494354410 + index),
          caption: sentence(index, 3),
        },
        ...status,
      };
    case 11:
      return { ...base, type: "media_placeholder", ...status };
    case 13:
      return { ...base, type: "reaction", reaction: { message_id: id.replace("BENCH", "PREV"), emoji: "👍" }, ...status };
    case 17:
      return { ...base, type: "location", location: { latitude: 37.48 + index / 1e4, longitude: -122.14, name: "Store" }, ...status };
    default:
      return { ...base, type: "text", text: { body: sentence(thread + index, 8 + (index % 12)) }, ...status };
  }
}

/** A history webhook of `messages` messages in `threads` threads (12,000 in 200: about 3 MB). */
export function historyBody(messages = 12_000, threads = 200, firstThread = 0) {
  const perThread = Math.ceil(messages / threads);
  const threadList = [];
  for (let thread = firstThread; thread < firstThread + threads; thread++) {
    const customer = String(16505550000 + thread * 7);
    const list = [];
    for (let index = 0; index < perThread && (thread - firstThread) * perThread + index < messages; index++) list.push(historyMessage(thread, index, customer));
    threadList.push({ id: customer, messages: list });
  }
  return metaJson({
    object: "whatsapp_business_account",
    entry: [
      {
        id: WABA,
        changes: [
          {
            field: "history",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: BUSINESS, phone_number_id: PHONE_NUMBER_ID },
              history: [{ metadata: { phase: 1, chunk_order: 1, progress: 55 }, threads: threadList }],
            },
          },
        ],
      },
    ],
  });
}

/** A small state sync webhook (about 400 bytes): one contact added. */
export function stateSyncBody() {
  return metaJson({
    object: "whatsapp_business_account",
    entry: [
      {
        id: WABA,
        changes: [
          {
            field: "smb_app_state_sync",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: BUSINESS, phone_number_id: PHONE_NUMBER_ID },
              state_sync: [
                {
                  type: "contact",
                  contact: { full_name: "Ana Lima", first_name: "Ana", phone_number: "16505551234" },
                  action: "add",
                  metadata: { timestamp: "1739321024" },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}
