/** The sentences about a client's hours live in shared/ (the server's at-risk mail says the same): shared/hours-sentences.ts. */
export * from '../../../shared/hours-sentences.ts';
