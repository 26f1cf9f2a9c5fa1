import { DomainError } from '@media-ai/core';
import { modelRegistry, type TenantDb } from '@media-ai/db';
import type { Storage } from '@media-ai/storage';
import { manifestKeys, SPEECH_AREA, SPEECH_LM } from './model.js';

/** A version of the newsroom's speech vocabulary (speech-lm), or NOT_FOUND saying where to look. */
export async function findSpeechModel(db: TenantDb, id: string) {
  const version = await db.modelVersion.findFirst({ where: { id, area: SPEECH_AREA, name: SPEECH_LM } });
  if (!version) {
    throw new DomainError(
      'NOT_FOUND',
      `Speech vocabulary version ${id} was not found; modelVersions(filter: {area: "speech"}) lists them`,
    );
  }
  return version;
}

/**
 * Makes a speech-lm version the one transcriptions use (the registry retires the previous one in
 * the same transaction) once its model files are checked in storage. Activating a RETIRED version
 * rolls back to it.
 */
export async function activateSpeechModel(db: TenantDb, newsroomId: string, storage: Storage, id: string) {
  const version = await findSpeechModel(db, id);
  return modelRegistry(db, newsroomId).activate(SPEECH_AREA, id, {
    check: async () => {
      const keys = manifestKeys(version.artifact);
      if (keys.length === 0) {
        throw new DomainError(
          'CONFLICT',
          `${SPEECH_LM} v${version.version} has no model files recorded; build the vocabulary again`,
        );
      }
      for (const key of keys) {
        if (!(await storage.exists(key))) {
          throw new DomainError(
            'CONFLICT',
            `The files of ${SPEECH_LM} v${version.version} are missing from storage (${key}); build the vocabulary again`,
          );
        }
      }
    },
  });
}
