/**
 * Express: mount the Node handler before any JSON body parser (or behind express.raw), so the
 * signature is checked over the bytes Meta sent.
 */
import express from "express";
import { applyEvents, createContactBook, createNodeHandler, listContacts } from "whatsapp-coexistence";

let book = createContactBook();
const app = express();

app.all(
  "/webhooks/whatsapp",
  express.raw({ type: "application/json" }),
  createNodeHandler({
    secret: [process.env.META_APP_SECRET ?? "", process.env.DIALOG_PARTNER_SECRET ?? ""].filter(Boolean),
    verifyToken: process.env.VERIFY_TOKEN,
    onEvents: ({ events }) => {
      book = applyEvents(book, events);
    },
  }),
);

app.get("/contacts/:phoneNumberId", (request, response) => {
  response.json(listContacts(book, request.params.phoneNumberId));
});

app.listen(Number(process.env.PORT ?? 3000));
