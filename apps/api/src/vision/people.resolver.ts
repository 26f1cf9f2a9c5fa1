import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { DomainError } from '@media-ai/core';
import type { Person } from '@media-ai/db';
import { authed, type Context } from '../common/context.js';
import { PageArgs } from '../common/pagination.js';
import { Roles } from '../auth/roles.js';
import { JobGQL } from '../jobs/job.types.js';
import { PeopleService } from './people.service.js';
import {
  EnrolPersonInput,
  FaceClusterConnection,
  FaceConnection,
  FaceFilter,
  FaceGQL,
  FaceVerdict,
  PersonConnection,
  PersonEnrolmentGQL,
  PersonErasureGQL,
  PersonGQL,
} from './vision.types.js';

const NAME = { description: 'The name to show, 1 to 200 characters' };

@Resolver(() => PersonGQL)
export class PeopleResolver {
  @Authorized(...Roles.any)
  @Query(() => PersonConnection, { description: "The newsroom's people registry, newest first" })
  people(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('search', () => String, { nullable: true, description: 'Part of the name' }) search: string | null,
    @Ctx() ctx: Context,
  ) {
    return new PeopleService(authed(ctx)).list(page, search?.slice(0, 200));
  }

  @Authorized(...Roles.any)
  @Query(() => PersonGQL)
  person(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return new PeopleService(authed(ctx)).person(id);
  }

  @Authorized(...Roles.any)
  @Query(() => FaceConnection, {
    description: 'Faces, newest first: of a person, an asset, a cluster, or unknown ones',
  })
  faces(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => FaceFilter, { nullable: true }) filter: FaceFilter | null,
    @Ctx() ctx: Context,
  ) {
    return new PeopleService(authed(ctx)).faces(page, filter);
  }

  @Authorized(...Roles.editor)
  @Query(() => FaceClusterConnection, {
    description: 'Groups of unknown faces that look like one person; name one with nameFaceCluster',
  })
  faceClusters(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return new PeopleService(authed(ctx)).clusters(page);
  }

  @Authorized(...Roles.any)
  @FieldResolver(() => Int, { description: 'Faces assigned to the person' })
  faceCount(@Root() person: Person, @Ctx() ctx: Context) {
    return new PeopleService(authed(ctx)).faceCount(person.id);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => PersonGQL)
  createPerson(
    @Arg('name', () => String, NAME) name: string,
    @Arg('notes', () => String, { nullable: true }) notes: string | null,
    @Ctx() ctx: Context,
  ) {
    return new PeopleService(authed(ctx)).create(checkName(name), notes?.slice(0, 2000));
  }

  @Authorized(...Roles.editor)
  @Mutation(() => PersonGQL)
  renamePerson(
    @Arg('id', () => ID) id: string,
    @Arg('name', () => String, NAME) name: string,
    @Ctx() ctx: Context,
  ) {
    return new PeopleService(authed(ctx)).rename(id, checkName(name));
  }

  @Authorized(...Roles.editor)
  @Mutation(() => Boolean, {
    description:
      'Erases the person: their faces and descriptors, corrections and enrolments; see erasePerson for the job that scrubs the rest',
  })
  async deletePerson(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    await new PeopleService(authed(ctx)).erase(id);
    return true;
  }

  @Authorized(...Roles.editor)
  @Mutation(() => PersonErasureGQL, {
    description:
      'Erases the person from the registry: their faces (descriptors, landmarks), corrections and enrolments at once, then a vision.erase-faces job removes them from stored analyses, alt texts, job results and the queue',
  })
  async erasePerson(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<PersonErasureGQL> {
    return new PeopleService(authed(ctx)).erase(id);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => PersonGQL, {
    description: 'Merges the source into the target: faces and corrections move, the source is deleted',
  })
  mergePeople(
    @Arg('sourceId', () => ID) sourceId: string,
    @Arg('targetId', () => ID) targetId: string,
    @Ctx() ctx: Context,
  ) {
    return new PeopleService(authed(ctx)).merge(sourceId, targetId);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => PersonGQL, {
    description:
      'Moves some faces of a person to another person (intoPersonId) or a new one (intoName); they stop matching the first',
  })
  splitPerson(
    @Arg('personId', () => ID) personId: string,
    @Arg('faceIds', () => [ID]) faceIds: string[],
    @Arg('intoPersonId', () => ID, { nullable: true }) intoPersonId: string | null,
    @Arg('intoName', () => String, { nullable: true }) intoName: string | null,
    @Ctx() ctx: Context,
  ) {
    return new PeopleService(authed(ctx)).split(
      personId,
      faceIds,
      intoPersonId,
      intoName === null ? null : checkName(intoName),
    );
  }

  @Authorized(...Roles.editor)
  @Mutation(() => PersonEnrolmentGQL, {
    description:
      'Enrols a person (new by name, or existing by personId) from photos; the returned job finds the faces',
  })
  enrolPerson(@Arg('input', () => EnrolPersonInput) input: EnrolPersonInput, @Ctx() ctx: Context) {
    return new PeopleService(authed(ctx)).enrol(input);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => PersonGQL, {
    description: 'Assigns already detected faces to a person, as confirmed by an editor',
  })
  addFacesToPerson(
    @Arg('personId', () => ID) personId: string,
    @Arg('faceIds', () => [ID]) faceIds: string[],
    @Ctx() ctx: Context,
  ) {
    return new PeopleService(authed(ctx)).addFaces(personId, faceIds.slice(0, 500));
  }

  @Authorized(...Roles.editor)
  @Mutation(() => FaceGQL, {
    description:
      'Corrects a face: CONFIRMED with personId assigns it; REJECTED says it is not personId (default: its current match). Every correction is kept and later matching respects it',
  })
  correctFace(
    @Arg('faceId', () => ID) faceId: string,
    @Arg('personId', () => ID, { nullable: true }) personId: string | null,
    @Arg('verdict', () => FaceVerdict) verdict: FaceVerdict,
    @Ctx() ctx: Context,
  ) {
    return new PeopleService(authed(ctx)).correct(faceId, personId, verdict);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => FaceGQL, {
    description:
      'Names any face, in a cluster or not: an existing person (personId) or a new one (name), as confirmed by an editor',
  })
  nameFace(
    @Arg('faceId', () => ID) faceId: string,
    @Arg('personId', () => ID, { nullable: true }) personId: string | null,
    @Arg('name', () => String, { nullable: true }) name: string | null,
    @Ctx() ctx: Context,
  ) {
    return new PeopleService(authed(ctx)).nameFace(faceId, personId, name == null ? null : checkName(name));
  }

  @Authorized(...Roles.editor)
  @Mutation(() => FaceGQL, {
    description:
      'Marks a detection "not a face" (a dog, a poster): it leaves its person, its cluster, later matching and the people pages. notAFace: false takes it back',
  })
  markNotAFace(
    @Arg('faceId', () => ID) faceId: string,
    @Arg('notAFace', () => Boolean, { defaultValue: true }) notAFace: boolean,
    @Ctx() ctx: Context,
  ) {
    return new PeopleService(authed(ctx)).markNotAFace(faceId, notAFace);
  }

  @Authorized(...Roles.editor)
  @Mutation(() => PersonGQL, {
    description: 'Names a cluster of unknown faces once: an existing person (personId) or a new one (name)',
  })
  nameFaceCluster(
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('personId', () => ID, { nullable: true }) personId: string | null,
    @Arg('name', () => String, { nullable: true }) name: string | null,
    @Ctx() ctx: Context,
  ) {
    return new PeopleService(authed(ctx)).nameCluster(
      clusterId,
      personId,
      name == null ? null : checkName(name),
    );
  }

  @Authorized(...Roles.editor)
  @Mutation(() => JobGQL, {
    description:
      'Queues vision.cluster-faces: matches unknown faces against the registry again, then re-clusters the rest',
  })
  refreshFaces(@Ctx() ctx: Context) {
    return new PeopleService(authed(ctx)).refreshFaces();
  }
}

function checkName(name: string): string {
  const clean = name.trim();
  if (clean.length < 1 || clean.length > 200)
    throw new DomainError('BAD_USER_INPUT', 'name must be 1 to 200 characters');
  return clean;
}
