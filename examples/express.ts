/**
 * Express: mount the Node handler on its route with no body parser in front (it reads the body
 * itself, up to 4 MiB: express.raw()'s default 100 KB limit would refuse a history chunk), and
 * before any app.use(express.json()), so the signature is checked over the bytes Meta sent.
 */
import express from "express";
import { applyEvents, createContactBook, createNodeHandler, listContacts } from "whatsapp-coexistence";

let book = createContactBook();
const app = express();

app.all(
  "/webhooks/whatsapp",
  createNodeHandler({
    secret: [process.env.META_APP_SECRET ?? "", process.env.DIALOG_PARTNER_SECRET ?? ""].filter(Boolean),
    verifyToken: process.env.VERIFY_TOKEN,
    onEvents: ({ events }) => {
      book = applyEvents(book, events);
    },
  }),
);

app.use(express.json()); // the rest of the app parses JSON: the webhook route above came first

app.get("/contacts/:phoneNumberId", (request, response) => {
  response.json(listContacts(book, request.params.phoneNumberId));
});

app.listen(Number(process.env.PORT ?? 3000));
