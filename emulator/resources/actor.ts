/** Who created or updated an object: always the emulator's API user. */
import { API_USER } from "../defaults";

export const API_ACTOR = { id: API_USER.id, name: API_USER.name, type: "apikey" } as const;
