// "Listen" buttons on term pages: the browser says the English term.

import { enableSpeakButtons, findEnglishVoice } from "./speech.js";

findEnglishVoice().then((voice) => enableSpeakButtons(document, voice));
